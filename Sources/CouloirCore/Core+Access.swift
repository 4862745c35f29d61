public import CouloirDomain
import CouloirStorage

extension Core {
    /// The operation with the principal's access to it; hidden when there is none or the
    /// principal may not read it, so that its existence does not leak.
    public func reach(_ operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> (EvacuationOperation, OperationAccess)
    {
        guard let operation = try await base.operation(operationID) else {
            throw CoreError.hidden(kind: "operation", id: operationID.description)
        }
        let access = try await access(to: operation.id, as: principal)
        try access.require(.readPlan, on: RecordKey(.operation, operation.id), relation: access.operationRelation)
        return (operation, access)
    }

    /// A record of the operation, with the operation and the principal's access to it,
    /// when the principal may do `action` to it: hidden when `read` finds none or the
    /// principal may not see it, forbidden when it may see it but not do this. `relation`
    /// says how the record stands when more than its key decides (an incident's place, a
    /// claim's party).
    func reach<Record: Sendable>(
        _ kind: RecordKind, _ id: some CustomStringConvertible, in operationID: EvacuationOperation.ID,
        for action: Action, as principal: Principal, relation: ((Record, OperationAccess) -> Relation)? = nil,
        read: (EvacuationOperation.ID) async throws -> Versioned<Record>?
    ) async throws -> (operation: EvacuationOperation, access: OperationAccess, stored: Versioned<Record>) {
        let (operation, access) = try await reach(operationID, as: principal)
        guard let stored = try await read(operation.id) else {
            throw CoreError.hidden(kind: kind.rawValue, id: id.description)
        }
        try access.require(action, on: RecordKey(kind, id), relation: relation?(stored.record, access))
        return (operation, access, stored)
    }

    /// How the records of `operationID` stand to `principal`. The plan is read only when
    /// it can matter, for a reach over the plan short of operation-wide: an assignment
    /// (a monitor's, a party liaison's) is within it, and a checkpoint made with its
    /// corridor stands as the corridor does.
    func access(to operationID: EvacuationOperation.ID, as principal: Principal) async throws -> OperationAccess {
        let members = try await base.members(of: operationID)
        let owners = try await base.owners(in: operationID)
        let onThePlan: [Action] = [.readPlan, .editPlan, .submitTally, .readTallies, .readFigures]
        let planMatters = onThePlan.contains { ![.nothing, .operationWide].contains(principal.reach(for: $0)) }
        guard planMatters, members.contains(principal.organisationID) else {
            return OperationAccess(
                principal: principal, operationID: operationID, members: members, owners: owners, corridors: [],
                pauses: [], parties: [])
        }
        return OperationAccess(
            principal: principal, operationID: operationID, members: members, owners: owners,
            corridors: try await base.corridors(in: operationID), pauses: try await base.pauses(in: operationID),
            parties: try await base.parties(in: operationID))
    }
}

extension OperationAccess {
    /// Throws unless the principal may do `action` to the record: hidden when it may not
    /// even see it, forbidden when it may see it but not do this.
    func require(_ action: Action, on key: RecordKey, relation: Relation? = nil) throws(CoreError) {
        let relation = relation ?? self.relation(to: key)
        if may(action, on: relation) { return }
        if action != key.kind.readAction, may(key.kind.readAction, on: relation) {
            throw .forbidden(kind: key.kind.rawValue, id: key.id, action: action)
        }
        throw .hidden(kind: key.kind.rawValue, id: key.id)
    }

    /// Throws unless the principal may do `action` to a record it makes in the operation
    /// (made by it, so its own).
    func requireCreating(_ action: Action) throws(CoreError) {
        guard may(action, on: .own) else { throw .forbiddenAction(action) }
    }

    /// Throws unless the principal may do `action` to some record of the operation.
    func requireAnywhere(_ action: Action) throws(CoreError) {
        guard principal.reach(for: action) > .nothing else { throw .forbiddenAction(action) }
    }

    /// The operation's checkpoints at which the principal may do `action`; `nil` when it
    /// may everywhere. (When it may not everywhere, `access(to:as:)` read the plan.)
    func checkpoints(where action: Action) -> Set<Checkpoint.ID>? {
        if principal.reach(for: action) == .operationWide { return nil }
        return Set(knownCheckpoints.filter { may(action, on: relation(toTallyAt: $0)) })
    }

    /// The records of `records` the principal may see, or do `action` to.
    func visible<Record: Identifiable>(_ records: [Record], _ kind: RecordKind, for action: Action? = nil) -> [Record]
    where Record.ID: CustomStringConvertible {
        let action = action ?? kind.readAction
        if principal.reach(for: action) == .operationWide { return records }
        return records.filter { may(action, on: relation(to: RecordKey(kind, $0.id))) }
    }

    func visible(_ incidents: [Incident]) -> [Incident] {
        incidents.filter { may(.readReports, on: relation(to: $0)) }
    }

    func visible(_ claims: [Claim]) -> [Claim] {
        claims.filter { may(.readReports, on: relation(to: $0)) }
    }

    /// The corridors whose flow the principal may read: those whose counting (first)
    /// checkpoint it may read figures at, each with only the checkpoints it may.
    func figureCorridors(_ corridors: [Corridor]) -> [Corridor] {
        guard let readable = checkpoints(where: .readFigures) else { return corridors }
        return corridors.compactMap { corridor in
            guard let first = corridor.checkpoints.first, readable.contains(first.id) else { return nil }
            var corridor = corridor
            corridor.checkpoints = corridor.checkpoints.filter { readable.contains($0.id) }
            return corridor
        }
    }

    /// Refuses a place the principal may not see as storage refuses one the operation
    /// does not hold, so that reporting an incident does not tell which corridors exist.
    func requireVisible(_ place: Incident.Place) throws(DomainError) {
        let (key, pointer): (RecordKey, String)
        switch place {
        case .point: return
        case .corridor(let id): (key, pointer) = (RecordKey(.corridor, id), "/place/corridorId")
        case .sector(let id): (key, pointer) = (RecordKey(.sector, id), "/place/sectorId")
        }
        if principal.reach(for: .readPlan) == .operationWide || may(.readPlan, on: relation(to: key)) { return }
        throw .invalid([.unknownReference(key.kind.rawValue, key.id, at: pointer)])
    }
}

extension Core {
    /// Whether the principal may create records by `action` in the operation: what a face
    /// asks before offering a form, decided as the creation itself would be.
    public func mayCreate(_ action: Action, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Bool
    {
        let (_, access) = try await reach(operationID, as: principal)
        return access.may(action, on: .own)
    }
}

extension Core {
    /// Whether the principal may do `action` to the operation itself (manage its members,
    /// edit it), decided as the action would be.
    public func may(_ action: Action, onOperation operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Bool
    {
        let (_, access) = try await reach(operationID, as: principal)
        return access.may(action, on: access.operationRelation)
    }
}
