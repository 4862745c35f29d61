import CouloirDomain
import CouloirStorage
import Foundation
import OpenAPIRuntime

/// Answers the operations of `openapi.yaml`, generic over the repositories it reads.
///
/// Unknown records are thrown as `StorageError.notFound`, a missing or stale `If-Match`
/// as `PreconditionError`, bad records as `DomainError`: `ProblemMiddleware` turns each
/// into its problem document, so handlers read as the success path.
struct APIHandler<Store: Repository>: APIProtocol {
    /// The repositories, acting for nobody; `store` acts for the request's principal.
    let base: Store
    let now: @Sendable () -> Date

    init(store: Store, now: @escaping @Sendable () -> Date) {
        base = store
        self.now = now
    }

    /// The repositories, writing in the name of the request's principal: what it creates
    /// belongs to it and its organisation.
    var store: Store {
        RequestPrincipal.current.map { base.acting(as: $0) } ?? base
    }

    func listOperations(_ input: Operations.ListOperations.Input) async throws -> Operations.ListOperations.Output {
        let pagination = try Pagination(list: "operations", limit: input.query.limit, cursor: input.query.cursor)
        let page = pagination.page(of: try await readableOperations()) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Operation.init), nextCursor: page.next))))
    }

    func listCorridors(_ input: Operations.ListCorridors.Input) async throws -> Operations.ListCorridors.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let query = input.query
        let pagination = try Pagination(list: "corridors", limit: query.limit, cursor: query.cursor)
        let sectorID: Sector.ID? = try queryID(query.sectorId, name: "sectorId")
        let group = query.group.map { Group(rawValue: $0.rawValue)! }
        let state = query.status.map { CorridorStatus.State(rawValue: $0.rawValue)! }
        let instant = query.at ?? now()
        let clock = ZonedClock(operation.timeZone)
        let pauses = try await store.pauses(in: operation.id)
        let corridors = access.visible(try await store.corridors(in: operation.id), .corridor)
            .filter { corridor in
                (sectorID.map { corridor.originSectorID == $0 || corridor.destinationSectorID == $0 } ?? true)
                    && (group.map { corridor.allowedGroups.contains($0) } ?? true)
            }
            .map { ($0, CorridorStatus.of($0, at: instant, pauses: pauses, clock: clock)) }
            .filter { state == nil || $0.1.state == state }
        let page = pagination.page(of: corridors) { [$0.0.code, $0.0.id.description] }
        return .ok(
            .init(
                body: .json(
                    .init(
                        at: instant, items: page.items.map { Components.Schemas.Corridor($0, status: $1) },
                        nextCursor: page.next))))
    }
}
