import CouloirDomain
import CouloirStorage
import Foundation
import OpenAPIRuntime

/// Answers the operations of `openapi.yaml`, generic over the repositories it reads.
struct APIHandler<Store: OperationRepository & CorridorRepository & PauseRepository>: APIProtocol {
    let store: Store
    let now: @Sendable () -> Date

    func listOperations(_ input: Operations.ListOperations.Input) async throws -> Operations.ListOperations.Output {
        let operations = try await store.operations()
        return .ok(.init(body: .json(.init(items: operations.map(Components.Schemas.Operation.init)))))
    }

    func listCorridors(_ input: Operations.ListCorridors.Input) async throws -> Operations.ListCorridors.Output {
        guard let operation = try await operation(input.path.operationId) else {
            return .notFound(
                .init(body: .applicationProblemJson(Problem.notFound("operation", input.path.operationId))))
        }
        let instant = input.query.at ?? now()
        let clock = ZonedClock(operation.timeZone)
        let pauses = try await store.pauses(in: operation.id)
        let corridors = try await store.corridors(in: operation.id).map { corridor in
            Components.Schemas.Corridor(
                corridor, status: CorridorStatus.of(corridor, at: instant, pauses: pauses, clock: clock))
        }
        return .ok(.init(body: .json(.init(at: instant, items: corridors))))
    }
}
