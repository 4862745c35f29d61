public import CouloirDomain
public import CouloirStorage

/// A checkpoint with the code of its corridor, by which lists are ordered.
public struct ListedCheckpoint: Sendable {
    public var placed: PlacedCheckpoint
    public var corridorCode: String
}

extension Core {
    /// The operation's checkpoints the principal may see, on `corridorID` when given.
    public func checkpoints(
        in operationID: EvacuationOperation.ID, on corridorID: Corridor.ID? = nil, as principal: Principal
    ) async throws -> [ListedCheckpoint] {
        let (operation, access) = try await reach(operationID, as: principal)
        let codes = Dictionary(
            uniqueKeysWithValues: try await base.corridors(in: operation.id).map { ($0.id, $0.code) })
        return access.visible(try await base.checkpoints(in: operation.id).map(\.record), .checkpoint)
            .filter { corridorID == nil || $0.corridorID == corridorID }
            .map { ListedCheckpoint(placed: $0, corridorCode: codes[$0.corridorID] ?? "") }
    }

    public func checkpoint(_ id: Checkpoint.ID, in operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Versioned<PlacedCheckpoint>
    {
        try await checkpoint(id, in: operationID, for: .readPlan, as: principal)
    }

    /// Adds a checkpoint after the corridor's last one.
    public func add(
        _ checkpoint: Checkpoint, to corridorID: Corridor.ID, in operationID: EvacuationOperation.ID,
        as principal: Principal
    ) async throws -> Versioned<PlacedCheckpoint> {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.requireCreating(.editPlan)
        try checkpoint.validate()
        do {
            return try await store(for: principal).addCheckpoint(checkpoint, to: corridorID, in: operation.id)
        } catch StorageError.notFound(let kind, _) where kind == "corridor" {
            // The corridor is a field of what was sent, not the record acted on: name it.
            throw DomainError.invalid([.unknownReference("corridor", corridorID, at: "/corridorId")])
        }
    }

    /// Replaces a checkpoint's name, location and teams; its corridor and position stay.
    public func update(
        checkpoint id: Checkpoint.ID, in operationID: EvacuationOperation.ID, to revised: Checkpoint,
        expecting: ExpectedVersions?, as principal: Principal
    ) async throws -> Versioned<PlacedCheckpoint> {
        let stored = try await checkpoint(id, in: operationID, for: .editPlan, as: principal)
        let expected = try expecting.required()
        var revised = revised
        revised.id = stored.record.checkpoint.id
        try revised.validate()
        try expected.check(stored.version, kind: "checkpoint")
        return try await store(for: principal).update(revised, in: operationID, from: stored.version)
    }

    /// The checkpoint as stored, for a form that edits it: forbidden unless the principal
    /// may change the plan there, as the update itself would be.
    public func checkpointForEditing(
        _ id: Checkpoint.ID, in operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws -> Versioned<PlacedCheckpoint> {
        try await checkpoint(id, in: operationID, for: .editPlan, as: principal)
    }

    private func checkpoint(
        _ id: Checkpoint.ID, in operationID: EvacuationOperation.ID, for action: Action, as principal: Principal
    ) async throws -> Versioned<PlacedCheckpoint> {
        try await reach(.checkpoint, id, in: operationID, for: action, as: principal) {
            try await base.versionedCheckpoint(id, in: $0)
        }.stored
    }
}
