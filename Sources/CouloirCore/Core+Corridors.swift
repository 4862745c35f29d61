public import CouloirDomain
public import CouloirStorage
public import Foundation

/// A corridor with its status at an instant.
public struct CorridorAtInstant: Sendable {
    public var corridor: Corridor
    public var status: CorridorStatus
}

/// Which corridors a list holds.
public struct CorridorFilter: Sendable {
    /// Corridors from or to this sector.
    public var sectorID: Sector.ID?
    /// Corridors this group may use.
    public var group: Group?
    /// Corridors in this state at the instant listed.
    public var state: CorridorStatus.State?

    public init(sectorID: Sector.ID? = nil, group: Group? = nil, state: CorridorStatus.State? = nil) {
        self.sectorID = sectorID
        self.group = group
        self.state = state
    }
}

extension Core {
    /// The operation's corridors the principal may see, each with its status at `instant`.
    public func corridors(
        in operationID: EvacuationOperation.ID, at instant: Date, matching filter: CorridorFilter = .init(),
        as principal: Principal
    ) async throws -> [CorridorAtInstant] {
        let (operation, access) = try await reach(operationID, as: principal)
        let clock = ZonedClock(operation.timeZone)
        let pauses = try await base.pauses(in: operation.id)
        return access.visible(try await base.corridors(in: operation.id), .corridor)
            .filter { corridor in
                (filter.sectorID.map { corridor.originSectorID == $0 || corridor.destinationSectorID == $0 } ?? true)
                    && (filter.group.map { corridor.allowedGroups.contains($0) } ?? true)
            }
            .map {
                CorridorAtInstant(
                    corridor: $0, status: CorridorStatus.of($0, at: instant, pauses: pauses, clock: clock))
            }
            .filter { filter.state == nil || $0.status.state == filter.state }
    }

    public func corridor(
        _ id: Corridor.ID, in operationID: EvacuationOperation.ID, at instant: Date, as principal: Principal
    ) async throws -> Versioned<CorridorAtInstant> {
        let (operation, stored) = try await corridor(id, in: operationID, for: .readPlan, as: principal)
        return try await status(of: stored, in: operation, at: instant)
    }

    /// Creates a corridor with its checkpoints.
    public func create(_ corridor: Corridor, as principal: Principal) async throws -> Versioned<CorridorAtInstant> {
        let (operation, access) = try await reach(corridor.operationID, as: principal)
        try access.requireCreating(.editPlan)
        try await store(for: principal).insert(corridor)
        return try await status(of: Versioned(corridor, version: 1), in: operation, at: now())
    }

    /// Replaces the corridor's description with `revised`'s; its checkpoints and
    /// overrides stay as stored.
    public func update(
        corridor id: Corridor.ID, in operationID: EvacuationOperation.ID, to revised: Corridor,
        expecting: ExpectedVersions?, as principal: Principal
    ) async throws -> Versioned<CorridorAtInstant> {
        let (operation, stored) = try await corridor(id, in: operationID, for: .editPlan, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.id
        revised.operationID = stored.record.operationID
        revised.checkpoints = stored.record.checkpoints
        revised.overrides = stored.record.overrides
        // A record that could never be stored is refused as such, whatever its version.
        try revised.validate(in: OperationIndex(permissive: revised))
        try expected.check(stored.version, kind: "corridor")
        let updated = try await store(for: principal).update(revised, from: stored.version)
        return try await status(of: updated, in: operation, at: now())
    }

    /// The corridor as stored, for a form that edits it: forbidden unless the principal
    /// may change the plan there, as the update itself would be.
    public func corridorForEditing(
        _ id: Corridor.ID, in operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws -> Versioned<Corridor> {
        try await corridor(id, in: operationID, for: .editPlan, as: principal).1
    }

    /// Closes or blocks a corridor by hand, with a reason.
    public func add(
        _ override: StatusOverride, to id: Corridor.ID, in operationID: EvacuationOperation.ID,
        as principal: Principal
    ) async throws -> Versioned<CorridorAtInstant> {
        let (operation, _) = try await corridor(id, in: operationID, for: .editPlan, as: principal)
        let stored = try await store(for: principal).addOverride(override, to: id, in: operation.id)
        return try await status(of: stored, in: operation, at: now())
    }

    private func corridor(
        _ id: Corridor.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> (EvacuationOperation, Versioned<Corridor>) {
        let found = try await reach(.corridor, id, in: operationID, for: action, as: principal) {
            try await base.versionedCorridor(id, in: $0)
        }
        return (found.operation, found.stored)
    }

    private func status(
        of stored: Versioned<Corridor>, in operation: EvacuationOperation, at instant: Date
    ) async throws -> Versioned<CorridorAtInstant> {
        let pauses = try await base.pauses(in: operation.id)
        let status = CorridorStatus.of(
            stored.record, at: instant, pauses: pauses, clock: ZonedClock(operation.timeZone))
        return Versioned(CorridorAtInstant(corridor: stored.record, status: status), version: stored.version)
    }
}

extension OperationIndex {
    /// An index that knows every record `corridor` names, for checking the corridor's
    /// own rules before storage checks its references.
    init(permissive corridor: Corridor) {
        self.init(
            operationID: corridor.operationID,
            sectors: Set([corridor.originSectorID] + (corridor.destinationSectorID.map { [$0] } ?? [])))
    }
}
