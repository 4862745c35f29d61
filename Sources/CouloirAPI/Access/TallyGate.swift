import CouloirDomain
import CouloirStorage

/// Decides where the caller may count. A role that counts everywhere, or a checkpoint
/// assigned to the caller, is decided without reading anything: tally submission is the
/// hot path. Anything else reads the operation's access once per request.
final class TallyGate<Store: Repository> {
    let handler: APIHandler<Store>
    let operationID: EvacuationOperation.ID
    private var access: OperationAccess?

    init(handler: APIHandler<Store>, operationID: EvacuationOperation.ID) {
        self.handler = handler
        self.operationID = operationID
    }

    /// Why the caller may not count at `checkpointID`, `nil` when it may. A checkpoint it
    /// may not see is refused as one that does not exist; an operation it may not see
    /// is not found.
    func refusal(at checkpointID: Checkpoint.ID) async throws -> TallyRefusal? {
        let principal = try RequestPrincipal.require()
        let reach = principal.reach(for: .submitTally)
        if reach == .operationWide { return nil }
        if reach >= .ownAssignment, principal.role == .monitor,
            principal.assignment.checkpointIDs.contains(checkpointID)
        {
            return nil
        }
        let access = try await loadedAccess()
        let relation = access.relation(toTallyAt: checkpointID)
        if access.may(.submitTally, on: relation) { return nil }
        return access.may(.readPlan, on: relation) ? .notAssigned(checkpointID) : .unknown(checkpointID)
    }

    private func loadedAccess() async throws -> OperationAccess {
        if let access { return access }
        let loaded = try await handler.access(to: operationID)
        try loaded.require(.readPlan, on: RecordKey(.operation, operationID), relation: loaded.operationRelation)
        access = loaded
        return loaded
    }
}

/// Why the caller may not count at a checkpoint.
enum TallyRefusal: Error, CustomStringConvertible {
    /// The caller may see the checkpoint but not count there: 403.
    case notAssigned(Checkpoint.ID)
    /// The caller may not see the checkpoint: answered as if there were none.
    case unknown(Checkpoint.ID)

    var description: String {
        switch self {
        case .notAssigned(let id): "you may not count at checkpoint \(id)"
        case .unknown(let id): FieldIssue.unknownReference("checkpoint", id, at: "/checkpointId").reason
        }
    }
}
