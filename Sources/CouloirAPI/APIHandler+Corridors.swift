import CouloirDomain
import CouloirStorage
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func createCorridor(_ input: Operations.CreateCorridor.Input) async throws -> Operations.CreateCorridor.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.editPlan)
        let corridor = try Corridor(body, operationID: operation.id)
        try await store.insert(corridor)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/corridors/\(corridor.id)"),
                body: .json(try await representation(of: corridor, in: operation, at: now()))))
    }

    func getCorridor(_ input: Operations.GetCorridor.Input) async throws -> Operations.GetCorridor.Output {
        let (operation, stored) = try await requireCorridor(
            input.path.corridorId, in: input.path.operationId, for: .readPlan)
        let body = try await representation(of: stored.record, in: operation, at: input.query.at ?? now())
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(body)))
    }

    func updateCorridor(_ input: Operations.UpdateCorridor.Input) async throws -> Operations.UpdateCorridor.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, stored) = try await requireCorridor(
            input.path.corridorId, in: input.path.operationId, for: .editPlan)
        let corridorID = stored.record.id
        guard let ifMatch = input.headers.ifMatch else {
            return .preconditionRequired(.init(body: .applicationProblemJson(Problem.ifMatchRequired)))
        }
        var corridor = try Corridor(body, operationID: operation.id)
        corridor.id = corridorID
        corridor.checkpoints = stored.record.checkpoints
        corridor.overrides = stored.record.overrides
        // A body that could never be stored is refused as such, whatever its If-Match.
        try corridor.validate(in: OperationIndex(permissive: corridor))
        guard ETag.condition(ifMatch).matches(stored.version) else {
            return .preconditionFailed(
                .init(body: .applicationProblemJson(Problem.stale("corridor", current: stored.version))))
        }
        let updated = try await store.update(corridor, from: stored.version)
        let representation = try await representation(of: updated.record, in: operation, at: now())
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(representation)))
    }

    func addCorridorOverride(
        _ input: Operations.AddCorridorOverride.Input
    ) async throws -> Operations.AddCorridorOverride.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, corridor) = try await requireCorridor(
            input.path.corridorId, in: input.path.operationId, for: .editPlan)
        let corridorID = corridor.record.id
        let override = StatusOverride(
            state: StatusOverride.State(rawValue: body.state.rawValue)!, from: body.from, until: body.until,
            reason: body.reason, source: Source(body.source))
        let stored = try await store.addOverride(override, to: corridorID, in: operation.id)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(stored.version)),
                body: .json(try await representation(of: stored.record, in: operation, at: now()))))
    }

    /// The operation named by a path parameter; 404 when there is none. Says nothing of
    /// whether the caller may read it: `reach` does.
    func requireOperation(_ id: String) async throws -> EvacuationOperation {
        guard let operationID = EvacuationOperation.ID(id), let operation = try await base.operation(operationID) else {
            throw StorageError.notFound(kind: "operation", id: id)
        }
        return operation
    }

    private func requireCorridor(_ id: String, in operationID: String, for action: Action) async throws
        -> (EvacuationOperation, Versioned<Corridor>)
    {
        let (operation, access) = try await reach(operationID)
        guard let corridorID = Corridor.ID(id),
            let stored = try await store.versionedCorridor(corridorID, in: operation.id)
        else {
            throw StorageError.notFound(kind: "corridor", id: id)
        }
        try access.require(action, on: RecordKey(.corridor, corridorID))
        return (operation, stored)
    }

    func representation(
        of corridor: Corridor, in operation: EvacuationOperation, at instant: Date
    ) async throws -> Components.Schemas.Corridor {
        let pauses = try await store.pauses(in: operation.id)
        let status = CorridorStatus.of(corridor, at: instant, pauses: pauses, clock: ZonedClock(operation.timeZone))
        return Components.Schemas.Corridor(corridor, status: status)
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
