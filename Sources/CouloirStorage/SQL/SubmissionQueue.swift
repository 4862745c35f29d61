import CouloirDomain

/// Single tally submissions share transactions: those that arrive while one is being
/// written wait for it and then go together in the next, up to a batch's size. Each is
/// still answered only after the commit that stored it, but many share one commit and
/// one sync to disk, so a steady stream of single submissions does not queue behind the
/// disk one at a time.
actor SubmissionQueue {
    typealias Outcome = Result<TallySubmission, DomainError>
    private typealias Waiting = (tally: Tally, actor: String, continuation: CheckedContinuation<Outcome, any Error>)

    /// Writes tallies, each sent by the actor at the same place.
    private let write: @Sendable ([Tally], [String]) async throws -> [Outcome]
    private var waiting: [Waiting] = []
    private var writing = false

    init(write: @escaping @Sendable ([Tally], [String]) async throws -> [Outcome]) {
        self.write = write
    }

    func submit(_ tally: Tally, actor: String) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((tally, actor, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes what waits, a batch per operation, until nothing does.
    private func drain() async {
        while !waiting.isEmpty {
            let taken = Array(waiting.prefix(500))
            waiting.removeFirst(taken.count)
            var byOperation: [EvacuationOperation.ID: [Waiting]] = [:]
            for entry in taken { byOperation[entry.tally.operationID, default: []].append(entry) }
            for entries in byOperation.values {
                do {
                    let outcomes = try await write(entries.map(\.tally), entries.map(\.actor))
                    for (entry, outcome) in zip(entries, outcomes) { entry.continuation.resume(returning: outcome) }
                } catch {
                    // Nothing of the batch was stored: each submitter learns so and may resend.
                    for entry in entries { entry.continuation.resume(throwing: error) }
                }
            }
        }
        writing = false
    }
}
