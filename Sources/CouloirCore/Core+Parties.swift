public import CouloirDomain
public import CouloirStorage

extension Core {
    /// The operation's parties the principal may see, of `kind` when given.
    public func parties(in operationID: EvacuationOperation.ID, kind: PartyKind? = nil, as principal: Principal)
        async throws -> [Party]
    {
        let (operation, access) = try await reach(operationID, as: principal)
        return access.visible(try await base.parties(in: operation.id), .party).filter {
            kind == nil || $0.kind == kind
        }
    }

    public func party(_ id: Party.ID, in operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<Party>
    {
        try await party(id, in: operationID, for: .readPlan, as: principal).stored
    }

    public func create(_ party: Party, as principal: Principal) async throws -> Versioned<Party> {
        let (_, access) = try await reach(party.operationID, as: principal)
        try access.requireCreating(.editPlan)
        try await store(for: principal).insert(party)
        return Versioned(party, version: 1)
    }

    /// The party as stored, for a form that edits it: forbidden unless the principal may
    /// change the plan there, as the update itself would be.
    public func partyForEditing(_ id: Party.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Party>
    {
        try await party(id, in: operationID, for: .editPlan, as: principal).stored
    }

    /// Replaces the party with `revised`, keeping its identity.
    public func update(
        party id: Party.ID, in operationID: EvacuationOperation.ID, to revised: Party, expecting: ExpectedVersions?,
        as principal: Principal
    ) async throws -> Versioned<Party> {
        let (stored, _) = try await party(id, in: operationID, for: .editPlan, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        revised.operationID = stored.record.operationID
        try revised.validate()
        try expected.check(stored.version, kind: "party")
        return try await store(for: principal).update(revised, from: stored.version)
    }

    private func party(
        _ id: Party.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> (stored: Versioned<Party>, access: OperationAccess) {
        let found = try await reach(.party, id, in: operationID, for: action, as: principal) {
            try await base.versionedParty(id, in: $0)
        }
        return (found.stored, found.access)
    }
}
