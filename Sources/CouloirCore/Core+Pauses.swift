public import CouloirDomain
public import CouloirStorage
public import Foundation

/// Which pauses a list holds.
public struct PauseFilter: Sendable {
    public var state: PauseState?
    public var corridorID: Corridor.ID?
    public var sectorID: Sector.ID?
    /// Pauses with a window that overlaps [from, until), either end open when absent.
    public var from: Date?
    public var until: Date?

    public init(
        state: PauseState? = nil, corridorID: Corridor.ID? = nil, sectorID: Sector.ID? = nil, from: Date? = nil,
        until: Date? = nil
    ) {
        self.state = state
        self.corridorID = corridorID
        self.sectorID = sectorID
        self.from = from
        self.until = until
    }
}

/// A step of a pause's lifecycle as asked for: to which state, when, who for the
/// parties said so, why, and the source.
public struct PauseStep: Sendable {
    public var to: PauseState
    /// When it happened; now when absent.
    public var at: Date?
    public var actor: String
    public var reason: String
    public var source: Source

    public init(to: PauseState, at: Date?, actor: String, reason: String, source: Source) {
        self.to = to
        self.at = at
        self.actor = actor
        self.reason = reason
        self.source = source
    }
}

extension Core {
    /// The operation's pauses the principal may see.
    public func pauses(
        in operationID: EvacuationOperation.ID, matching filter: PauseFilter = .init(), as principal: Principal
    ) async throws -> [Pause] {
        let (operation, access) = try await reach(operationID, as: principal)
        let clock = ZonedClock(operation.timeZone)
        return access.visible(try await base.pauses(in: operation.id), .pause).filter { pause in
            (filter.state.map { pause.state == $0 } ?? true)
                && (filter.corridorID.map { pause.corridorIDs.contains($0) } ?? true)
                && (filter.sectorID.map { pause.sectorIDs.contains($0) } ?? true)
                && (filter.from == nil && filter.until == nil
                    || pause.occurrences(in: clock).contains { span in
                        (filter.from.map { span.end > $0 } ?? true) && (filter.until.map { span.start < $0 } ?? true)
                    })
        }
    }

    public func pause(_ id: Pause.ID, in operationID: EvacuationOperation.ID, as principal: Principal) async throws
        -> Versioned<Pause>
    {
        try await pause(id, in: operationID, for: .readPlan, as: principal)
    }

    public func create(_ pause: Pause, as principal: Principal) async throws -> Versioned<Pause> {
        let (_, access) = try await reach(pause.operationID, as: principal)
        try access.requireCreating(.managePause)
        try await store(for: principal).insert(pause)
        return Versioned(pause, version: 1)
    }

    /// Revises the pause's terms to `terms`'s, while it has never been in force.
    public func update(
        pause id: Pause.ID, in operationID: EvacuationOperation.ID, to terms: Pause, expecting: ExpectedVersions?,
        as principal: Principal
    ) async throws -> Versioned<Pause> {
        let stored = try await pause(id, in: operationID, for: .managePause, as: principal)
        let expected = try expecting.required()
        var terms = terms
        terms.operationID = stored.record.operationID
        // Terms that could never be stored are refused as such, whatever the pause's state.
        try terms.validate(in: OperationIndex(permissive: terms))
        var revised = stored.record
        try revised.revise(to: terms)
        try expected.check(stored.version, kind: "pause")
        return try await store(for: principal).update(revised, from: stored.version)
    }

    /// The pause as stored, for a form that moves or revises it: forbidden unless the
    /// principal may manage it, as the step itself would be.
    public func pauseForManaging(_ id: Pause.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<Pause>
    {
        try await pause(id, in: operationID, for: .managePause, as: principal)
    }

    /// Moves the pause through its lifecycle.
    public func move(
        pause id: Pause.ID, in operationID: EvacuationOperation.ID, _ step: PauseStep, as principal: Principal
    ) async throws -> Versioned<Pause> {
        let stored = try await pause(id, in: operationID, for: .managePause, as: principal)
        return try await store(for: principal).transition(
            stored.record.id, in: stored.record.operationID, to: step.to, at: step.at ?? now(), actor: step.actor,
            reason: step.reason, source: step.source)
    }

    private func pause(
        _ id: Pause.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> Versioned<Pause> {
        try await reach(.pause, id, in: operationID, for: action, as: principal) {
            try await base.versionedPause(id, in: $0)
        }.stored
    }
}

extension OperationIndex {
    /// An index that knows every record `pause` names, for checking the pause's own
    /// rules before storage checks its references.
    init(permissive pause: Pause) {
        self.init(
            operationID: pause.operationID, parties: Set(pause.guarantees.map(\.partyID)),
            sectors: Set(pause.sectorIDs), corridors: Set(pause.corridorIDs))
    }
}
