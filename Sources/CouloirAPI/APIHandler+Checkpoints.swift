import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listCheckpoints(_ input: Operations.ListCheckpoints.Input) async throws -> Operations.ListCheckpoints.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let pagination = try Pagination(list: "checkpoints", limit: input.query.limit, cursor: input.query.cursor)
        let corridorID: Corridor.ID? = try queryID(input.query.corridorId, name: "corridorId")
        let codes = Dictionary(
            uniqueKeysWithValues: try await store.corridors(in: operation.id).map { ($0.id, $0.code) })
        let checkpoints = access.visible(try await store.checkpoints(in: operation.id).map(\.record), .checkpoint)
            .filter {
                corridorID == nil || $0.corridorID == corridorID
            }
        let page = pagination.page(of: checkpoints) {
            [codes[$0.corridorID] ?? "", $0.corridorID.description, SortKey.number($0.position)]
        }
        return .ok(
            .init(
                body: .json(.init(items: page.items.map(Components.Schemas.Checkpoint.init), nextCursor: page.next))))
    }

    func createCheckpoint(_ input: Operations.CreateCheckpoint.Input) async throws -> Operations.CreateCheckpoint.Output
    {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.editPlan)
        let corridorID: Corridor.ID = try identifier(body.corridorId, at: "/corridorId")
        let checkpoint = try Checkpoint(
            name: body.name, location: body.location, monitorTeams: body.monitorTeams, at: "")
        try checkpoint.validate()
        let placed: Versioned<PlacedCheckpoint>
        do {
            placed = try await store.addCheckpoint(checkpoint, to: corridorID, in: operation.id)
        } catch StorageError.notFound(let kind, _) where kind == "corridor" {
            // The corridor is a field of the body, not of the path: name it.
            throw DomainError.invalid([.unknownReference("corridor", corridorID, at: "/corridorId")])
        }
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(placed.version),
                    location: "/api/v1/operations/\(operation.id)/checkpoints/\(checkpoint.id)"),
                body: .json(.init(placed.record))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        let stored = try await requireCheckpoint(input.path.checkpointId, in: input.path.operationId, for: .readPlan)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateCheckpoint(_ input: Operations.UpdateCheckpoint.Input) async throws -> Operations.UpdateCheckpoint.Output
    {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requireCheckpoint(input.path.checkpointId, in: input.path.operationId, for: .editPlan)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        var checkpoint = try Checkpoint(
            name: body.name, location: body.location, monitorTeams: body.monitorTeams, at: "")
        checkpoint.id = stored.record.checkpoint.id
        try checkpoint.validate()
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "checkpoint")
        // `requireCheckpoint` found the operation: its id is a UUID.
        let operationID = EvacuationOperation.ID(input.path.operationId)!
        let updated = try await store.update(checkpoint, in: operationID, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    private func requireCheckpoint(_ id: String, in operationID: String, for action: Action) async throws
        -> Versioned<PlacedCheckpoint>
    {
        let (operation, access) = try await reach(operationID)
        guard let checkpointID = Checkpoint.ID(id),
            let stored = try await store.versionedCheckpoint(checkpointID, in: operation.id)
        else {
            throw StorageError.notFound(kind: "checkpoint", id: id)
        }
        try access.require(action, on: RecordKey(.checkpoint, checkpointID))
        return stored
    }
}

extension Checkpoint {
    /// A checkpoint as a request describes it; `pointer` is where it sits in the body.
    init(name: String, location: Components.Schemas.Point, monitorTeams: [String]?, at pointer: String) throws {
        self.init(
            name: name,
            location: Point(try position(location.coordinates, at: pointer + "/location/coordinates")),
            monitorTeams: monitorTeams ?? [])
    }
}

extension Components.Schemas.Checkpoint {
    init(_ placed: PlacedCheckpoint) {
        let location = placed.checkpoint.location.position
        self.init(
            id: placed.checkpoint.id.description, corridorId: placed.corridorID.description,
            name: placed.checkpoint.name, position: placed.position,
            location: .init(_type: .point, coordinates: [location.longitude, location.latitude]),
            monitorTeams: placed.checkpoint.monitorTeams)
    }
}
