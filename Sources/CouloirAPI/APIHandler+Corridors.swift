import CouloirCore
import CouloirDomain
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func createCorridor(_ input: Operations.CreateCorridor.Input) async throws -> Operations.CreateCorridor.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let created = try await core.create(try Corridor(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(created.version),
                    location: "/api/v1/operations/\(operationID)/corridors/\(created.record.corridor.id)"),
                body: .json(.init(created.record.corridor, status: created.record.status))))
    }

    func getCorridor(_ input: Operations.GetCorridor.Input) async throws -> Operations.GetCorridor.Output {
        let found = try await core.corridor(
            try pathID(input.path.corridorId, "corridor"), in: try pathID(input.path.operationId, "operation"),
            at: input.query.at ?? core.now(), as: principal)
        return .ok(
            .init(
                headers: .init(eTag: ETag.of(found.version)),
                body: .json(.init(found.record.corridor, status: found.record.status))))
    }

    func updateCorridor(_ input: Operations.UpdateCorridor.Input) async throws -> Operations.UpdateCorridor.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            corridor: try pathID(input.path.corridorId, "corridor"), in: operationID,
            to: try Corridor(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(
            .init(
                headers: .init(eTag: ETag.of(updated.version)),
                body: .json(.init(updated.record.corridor, status: updated.record.status))))
    }

    func addCorridorOverride(
        _ input: Operations.AddCorridorOverride.Input
    ) async throws -> Operations.AddCorridorOverride.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let override = StatusOverride(
            state: StatusOverride.State(rawValue: body.state.rawValue)!, from: body.from, until: body.until,
            reason: body.reason, source: Source(body.source))
        let stored = try await core.add(
            override, to: try pathID(input.path.corridorId, "corridor"),
            in: try pathID(input.path.operationId, "operation"), as: principal)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(stored.version)),
                body: .json(.init(stored.record.corridor, status: stored.record.status))))
    }
}
