import CouloirStorage

/// Lets one write transaction at a time into SQLite, in arrival order.
///
/// SQLite allows one writer. Left to itself, a second writer would wait inside
/// `BEGIN IMMEDIATE`, blocking one of the few threads that run SQLite calls, and enough
/// of them can starve the writer they wait for. Waiting here costs no thread.
actor WriteGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            // The gate stays busy: it passes straight to the next writer.
            waiters.removeFirst().resume()
        }
    }

    func withGate<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }
}
