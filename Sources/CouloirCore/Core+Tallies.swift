public import CouloirDomain
public import CouloirStorage

extension Core {
    /// Whether the principal reads tallies anywhere, as `tallies(in:…)` decides: what a
    /// face asks before linking to them.
    public func readsTallies(as principal: Principal) -> Bool {
        principal.reach(for: .readTallies) > .nothing
    }

    /// Up to `limit` of the operation's tallies the principal may read, in the order they
    /// were stored, after the one stored at `seq`.
    public func tallies(
        in operationID: EvacuationOperation.ID, matching filter: TallyFilter, after seq: Int64?, limit: Int,
        as principal: Principal
    ) async throws -> [ListedTally] {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.requireAnywhere(.readTallies)
        var filter = filter
        filter.visibleCheckpoints = access.checkpoints(where: .readTallies)
        return try await base.tallies(in: operation.id, matching: filter, after: seq, limit: limit)
    }

    /// Stores a tally once; answered only after it is durably stored.
    public func submit(_ tally: Tally, as principal: Principal) async throws -> TallySubmission {
        guard try await base.operation(tally.operationID) != nil,
            try await base.members(of: tally.operationID).contains(principal.organisationID)
        else {
            throw CoreError.hidden(kind: "operation", id: tally.operationID.description)
        }
        var access: OperationAccess?
        if let refusal = try await refusal(of: tally, as: principal, access: &access) { throw refusal }
        return try await shown(try await store(for: principal).submit(tally), as: principal, access: &access)
    }

    /// Stores each tally of a batch once, in one transaction, and says what became of
    /// each item in the order sent. An item that could not be read as a tally comes as
    /// its error and is answered with it; so is one the principal may not count.
    public func submit(
        batch items: [Result<Tally, DomainError>], to operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws -> [Result<TallySubmission, DomainError>] {
        var access: OperationAccess? = try await reach(operationID, as: principal).1
        guard (1...Limits.talliesPerBatch).contains(items.count) else {
            throw DomainError.invalid([FieldIssue("/items", "must hold 1 to \(Limits.talliesPerBatch) tallies")])
        }
        var answers: [Result<TallySubmission, DomainError>?] = Array(repeating: nil, count: items.count)
        var accepted: [(item: Int, tally: Tally)] = []
        for (item, read) in items.enumerated() {
            switch read {
            case .failure(let error):
                answers[item] = .failure(error)
            case .success(let tally):
                if let refusal = try await refusal(of: tally, as: principal, access: &access) {
                    answers[item] = .failure(
                        refusal as? DomainError ?? .invalid([FieldIssue("/checkpointId", "\(refusal)")]))
                } else {
                    accepted.append((item, tally))
                }
            }
        }
        let outcomes = try await store(for: principal).submit(batch: accepted.map(\.tally))
        guard outcomes.count == accepted.count else {
            throw StorageError.corrupt("a batch of \(accepted.count) tallies had \(outcomes.count) outcomes")
        }
        for ((item, _), outcome) in zip(accepted, outcomes) {
            answers[item] =
                switch outcome {
                case .success(let submission): .success(try await shown(submission, as: principal, access: &access))
                case .failure: outcome
                }
        }
        return answers.map { $0! }
    }

    /// What the principal may be told of a submission: a tally stored before under the
    /// same id is shown only to whoever may read it; to anyone else, the id is taken and
    /// nothing more, whether the content matched or not.
    private func shown(_ submission: TallySubmission, as principal: Principal, access: inout OperationAccess?)
        async throws -> TallySubmission
    {
        let stored: Tally
        switch submission {
        case .created: return submission
        case .replayed(let tally): stored = tally
        case .conflict(let tally?): stored = tally
        case .conflict(nil): return submission
        }
        if principal.reach(for: .readTallies) == .operationWide { return submission }
        if access == nil { access = try await reach(stored.operationID, as: principal).1 }
        guard let access, access.may(.readTallies, on: access.relation(toTallyAt: stored.checkpointID)) else {
            return .conflict(stored: nil)
        }
        return submission
    }

    /// Why the principal may not count `tally` where it was counted, `nil` when it may.
    /// A role that counts everywhere, or a checkpoint of the principal's own assignment,
    /// is decided without reading anything: tally submission is the hot path. Anything
    /// else reads the operation's access once. A checkpoint the principal may not see is
    /// refused as one the operation does not hold.
    private func refusal(of tally: Tally, as principal: Principal, access: inout OperationAccess?) async throws
        -> (any Error)?
    {
        if principal.reach(for: .submitTally) == .operationWide || principal.isAssigned(tally.checkpointID) {
            return nil
        }
        if access == nil {
            access = try await reach(tally.operationID, as: principal).1
        }
        guard let access else { return nil }
        let relation = access.relation(toTallyAt: tally.checkpointID)
        if access.may(.submitTally, on: relation) { return nil }
        if access.may(.readPlan, on: relation) { return CoreError.notCountingAt(tally.checkpointID) }
        return DomainError.invalid([.unknownReference("checkpoint", tally.checkpointID, at: "/checkpointId")])
    }
}
