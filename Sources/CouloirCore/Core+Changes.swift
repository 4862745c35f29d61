public import CouloirDomain
import CouloirStorage

/// What one principal follows of one operation's changes, and how the records stood
/// to it when last read.
public struct ChangeWatch: Sendable {
    public let operationID: EvacuationOperation.ID
    let principal: Principal
    var access: OperationAccess

    /// Whether `change` touches the watcher's own account (its role, assignment or
    /// standing): its stream then ends, and reconnecting signs it in anew.
    public func concerns(_ change: Change) -> Bool {
        guard case .user(let id) = principal.actor else { return false }
        return change.kind == "user" && change.id == id.description
    }
}

extension Core {
    /// Where the audit log stands: the index the next change will take. A page reads it
    /// before its figures, so that a stream from there misses nothing the page did not show.
    public func changePosition() async throws -> Int64 {
        try await base.auditSize()
    }

    /// Starts following the operation's changes: hidden when the principal may not see
    /// the operation, as its page would be.
    public func watchChanges(in operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> ChangeWatch
    {
        let (operation, access) = try await reach(operationID, as: principal)
        return ChangeWatch(operationID: operation.id, principal: principal, access: access)
    }

    /// Up to `limit` changes of the log from the one at `index` on, every operation's.
    public func changes(from index: Int64, limit: Int) async throws -> [Change] {
        try await Change.read(from: index, limit: limit, in: base)
    }

    /// The changes of `changes` that the watched operation holds and the principal may
    /// see, in order: a tally where it may read figures, a record it may read (an
    /// incident by its place, a claim by its party). When the operation's records,
    /// owners or members changed, how they stand to the principal is read anew first;
    /// hidden when the principal no longer reaches the operation.
    public func visible(_ changes: [Change], to watch: inout ChangeWatch) async throws -> [Change] {
        let ours = changes.filter { $0.operationID == watch.operationID }
        guard !ours.isEmpty else { return [] }
        if ours.contains(where: { $0.kind != Change.tallyKind }) {
            watch.access = try await reach(watch.operationID, as: watch.principal).1
        }
        let access = watch.access
        let countedAt = access.checkpoints(where: .readFigures)
        var visible: [Change] = []
        for change in ours {
            if change.kind == Change.tallyKind {
                guard let checkpoint = change.checkpointID, countedAt?.contains(checkpoint) ?? true else { continue }
                visible.append(change)
            } else if let kind = RecordKind(rawValue: change.kind),
                try await mayRead(kind, change.id, in: watch.operationID, with: access)
            {
                visible.append(change)
            }
        }
        return visible
    }

    private func mayRead(
        _ kind: RecordKind, _ id: String, in operationID: EvacuationOperation.ID, with access: OperationAccess
    ) async throws -> Bool {
        if access.principal.reach(for: kind.readAction) == .operationWide { return access.isMember }
        switch kind {
        case .incident:
            guard let id = Incident.ID(id), let incident = try await base.versionedIncident(id, in: operationID) else {
                return false
            }
            return access.may(.readReports, on: access.relation(to: incident.record))
        case .claim:
            guard let id = Claim.ID(id), let claim = try await base.versionedClaim(id, in: operationID) else {
                return false
            }
            return access.may(.readReports, on: access.relation(to: claim.record))
        case .operation:
            return access.may(.readPlan, on: access.operationRelation)
        default:
            return access.may(kind.readAction, on: access.relation(to: RecordKey(kind, id)))
        }
    }
}
