import CouloirDomain
import CouloirStorage
public import ServiceLifecycle
import Synchronization

/// The one way tallies reach the database while the server runs, whichever face they came
/// through: a service of the application that writes what is waiting, in the order it
/// arrived, one transaction at a time.
///
/// Single submissions share transactions: those that arrive while one is being written
/// go together in the next, up to a batch's size, each still answered only after the
/// commit that stored it, so a steady stream of them does not queue behind the disk one
/// at a time. A batch is written in a transaction of its own: all of it or none.
/// Each waiting entry holds its own continuation and is answered through it: what one
/// sender gets never depends on who else shared its transaction.
///
/// On graceful shutdown the queue takes nothing new (`StorageError.stopping`), writes
/// what is already waiting, and only then returns, before the pool is closed.
public final class SubmissionQueue: Service, Sendable {
    typealias Outcome = Result<TallySubmission, DomainError>
    /// The most tallies single submissions share one transaction with.
    static let sharedLimit = 500

    private struct Entry {
        let submissions: [Submission]
        /// A single submission, which may share a transaction with others.
        let shares: Bool
        let continuation: CheckedContinuation<[Outcome], any Error>
    }

    private struct State {
        var waiting: [Entry] = []
        var open = true
    }

    private let write: @Sendable ([Submission]) async throws -> [Outcome]
    /// The database's writer thread, where the queue waits between transactions too, so
    /// that entering a write costs no hand-off between threads.
    private let executor: (any TaskExecutor)?
    private let state = Mutex(State())
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// `write` stores submissions in one transaction and says what became of each, in order.
    init(executor: (any TaskExecutor)?, write: @escaping @Sendable ([Submission]) async throws -> [Outcome]) {
        self.executor = executor
        self.write = write
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func submit(_ submission: Submission) async throws -> Outcome {
        guard let outcome = try await enqueue([submission], shares: true).first else {
            throw StorageError.corrupt("a submission of one tally had no outcome")
        }
        return outcome
    }

    func submit(batch submissions: [Submission]) async throws -> [Outcome] {
        guard !submissions.isEmpty else { return [] }
        return try await enqueue(submissions, shares: false)
    }

    public func run() async {
        await withTaskExecutorPreference(executor) {
            for await _ in wakes.cancelOnGracefulShutdown() { await drain() }
            state.withLock { $0.open = false }
            await drain()
        }
    }

    private func enqueue(_ submissions: [Submission], shares: Bool) async throws -> [Outcome] {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state in
                guard state.open else { return false }
                state.waiting.append(Entry(submissions: submissions, shares: shares, continuation: continuation))
                return true
            }
            if accepted { wake.yield() } else { continuation.resume(throwing: StorageError.stopping) }
        }
    }

    /// Writes what waits, until nothing does.
    private func drain() async {
        while true {
            let taken = state.withLock { state in
                defer { state.waiting.removeAll() }
                return state.waiting
            }
            if taken.isEmpty { return }
            var shared: [Entry] = []
            for entry in taken {
                if entry.shares {
                    shared.append(entry)
                    if shared.count == Self.sharedLimit { await writeShared(&shared) }
                } else {
                    await writeShared(&shared)
                    await writeAlone(entry)
                }
            }
            await writeShared(&shared)
        }
    }

    private func writeAlone(_ entry: Entry) async {
        do {
            entry.continuation.resume(returning: try await write(entry.submissions))
        } catch {
            // Nothing of the batch was stored: its sender learns so and may send it again.
            entry.continuation.resume(throwing: error)
        }
    }

    /// Writes single submissions together, a transaction per operation, and empties `entries`.
    private func writeShared(_ entries: inout [Entry]) async {
        var byOperation: [EvacuationOperation.ID: [Entry]] = [:]
        for entry in entries { byOperation[entry.submissions[0].tally.operationID, default: []].append(entry) }
        entries.removeAll()
        for group in byOperation.values {
            do {
                let outcomes = try await write(group.map { $0.submissions[0] })
                guard outcomes.count == group.count else {
                    throw StorageError.corrupt("\(group.count) submissions had \(outcomes.count) outcomes")
                }
                for (entry, outcome) in zip(group, outcomes) { entry.continuation.resume(returning: [outcome]) }
            } catch {
                for entry in group { entry.continuation.resume(throwing: error) }
            }
        }
    }
}
