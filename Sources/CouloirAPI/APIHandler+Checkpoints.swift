import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listCheckpoints(_ input: Operations.ListCheckpoints.Input) async throws -> Operations.ListCheckpoints.Output {
        let pagination = try Pagination(
            list: "checkpoints", limit: input.query.limit, cursor: input.query.cursor, signer: cursors)
        let checkpoints = try await core.checkpoints(
            in: try pathID(input.path.operationId, "operation"),
            on: try queryID(input.query.corridorId, name: "corridorId"), as: principal)
        let page = pagination.page(of: checkpoints) {
            [$0.corridorCode, $0.placed.corridorID.description, SortKey.number($0.placed.position)]
        }
        return .ok(
            .init(
                body: .json(
                    .init(items: page.items.map { Components.Schemas.Checkpoint($0.placed) }, nextCursor: page.next))))
    }

    func createCheckpoint(_ input: Operations.CreateCheckpoint.Input) async throws -> Operations.CreateCheckpoint.Output
    {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let corridorID: Corridor.ID = try identifier(body.corridorId, at: "/corridorId")
        let checkpoint = try Checkpoint(
            name: body.name, location: body.location, monitorTeams: body.monitorTeams, at: "")
        let placed = try await core.add(checkpoint, to: corridorID, in: operationID, as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(placed.version),
                    location: "/api/v1/operations/\(operationID)/checkpoints/\(checkpoint.id)"),
                body: .json(.init(placed.record))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        let stored = try await core.checkpoint(
            try pathID(input.path.checkpointId, "checkpoint"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateCheckpoint(_ input: Operations.UpdateCheckpoint.Input) async throws -> Operations.UpdateCheckpoint.Output
    {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let checkpoint = try Checkpoint(
            name: body.name, location: body.location, monitorTeams: body.monitorTeams, at: "")
        let updated = try await core.update(
            checkpoint: try pathID(input.path.checkpointId, "checkpoint"),
            in: try pathID(input.path.operationId, "operation"), to: checkpoint,
            expecting: ETag.expected(input.headers.ifMatch), as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
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
