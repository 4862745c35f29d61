public import CouloirDomain
public import CouloirStorage
public import Foundation

extension Core {
    /// The operation's sectors the principal may see; with `controlledBy`, those that
    /// party controls at `instant`.
    public func sectors(
        in operationID: EvacuationOperation.ID, controlledBy controller: Party.ID? = nil, at instant: Date,
        as principal: Principal
    ) async throws -> [Sector] {
        let (operation, access) = try await reach(operationID, as: principal)
        return access.visible(try await base.sectors(in: operation.id), .sector).filter {
            controller == nil || $0.controller(at: instant) == controller
        }
    }

    public func sector(_ id: Sector.ID, in operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<Sector>
    {
        try await sector(id, in: operationID, for: .readPlan, as: principal)
    }

    public func create(_ sector: Sector, as principal: Principal) async throws -> Versioned<Sector> {
        let (_, access) = try await reach(sector.operationID, as: principal)
        try access.requireCreating(.editPlan)
        try await store(for: principal).insert(sector)
        return Versioned(sector, version: 1)
    }

    /// Replaces the sector, its control history included, keeping its identity.
    public func update(
        sector id: Sector.ID, in operationID: EvacuationOperation.ID, to revised: Sector,
        expecting: ExpectedVersions?, as principal: Principal
    ) async throws -> Versioned<Sector> {
        let stored = try await sector(id, in: operationID, for: .editPlan, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        revised.operationID = stored.record.operationID
        try revised.validate(in: OperationIndex(permissive: revised))
        try expected.check(stored.version, kind: "sector")
        return try await store(for: principal).update(revised, from: stored.version)
    }

    /// The sector as stored, for a form that edits it: forbidden unless the principal
    /// may change the plan there, as the update itself would be.
    public func sectorForEditing(_ id: Sector.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Sector>
    {
        try await sector(id, in: operationID, for: .editPlan, as: principal)
    }

    private func sector(
        _ id: Sector.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> Versioned<Sector> {
        try await reach(.sector, id, in: operationID, for: action, as: principal) {
            try await base.versionedSector(id, in: $0)
        }.stored
    }
}

extension OperationIndex {
    /// An index that knows every party `sector` names, for checking the sector's own
    /// rules before storage checks its references.
    init(permissive sector: Sector) {
        self.init(operationID: sector.operationID, parties: Set(sector.control.map(\.partyID)))
    }
}
