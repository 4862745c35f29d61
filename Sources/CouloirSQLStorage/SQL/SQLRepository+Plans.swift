public import CouloirDomain
public import CouloirStorage

// The plan's reads, through the plan cache.
extension SQLRepository {
    public func operations() async throws -> [EvacuationOperation] {
        try await plans.read(.operations, of: nil) { try await loadOperations() }
    }

    public func versionedOperation(_ id: EvacuationOperation.ID) async throws -> Versioned<EvacuationOperation>? {
        try await plans.read(.operation, of: id) { try await loadOperation(id) }
    }

    public func operationOwners() async throws -> [EvacuationOperation.ID: RecordOwner] {
        try await plans.read(.operationOwners, of: nil) { try await loadOperationOwners() }
    }

    public func owners(in operationID: EvacuationOperation.ID) async throws -> [RecordKey: RecordOwner] {
        try await plans.read(.owners, of: operationID) { try await loadOwners(in: operationID) }
    }

    public func parties(in operationID: EvacuationOperation.ID) async throws -> [Party] {
        try await plans.read(.parties, of: operationID) { try await loadParties(in: operationID) }
    }

    public func sectors(in operationID: EvacuationOperation.ID) async throws -> [Sector] {
        try await plans.read(.sectors, of: operationID) { try await loadSectors(in: operationID) }
    }

    public func corridors(in operationID: EvacuationOperation.ID) async throws -> [Corridor] {
        try await plans.read(.corridors, of: operationID) { try await loadCorridors(in: operationID) }
    }

    public func checkpoints(in operationID: EvacuationOperation.ID) async throws -> [Versioned<PlacedCheckpoint>] {
        try await plans.read(.checkpoints, of: operationID) { try await loadCheckpoints(in: operationID) }
    }

    public func pauses(in operationID: EvacuationOperation.ID) async throws -> [Pause] {
        try await plans.read(.pauses, of: operationID) { try await loadPauses(in: operationID) }
    }
}
