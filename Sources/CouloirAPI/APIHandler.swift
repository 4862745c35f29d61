import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import OpenAPIRuntime

/// Answers the operations of `openapi.yaml` by translating the generated types to and
/// from calls of the core, which decides everything.
///
/// What the core refuses is thrown (`CoreError`, `DomainError`, `StorageError`):
/// `ProblemMiddleware` turns each into its problem document, so handlers read as the
/// success path.
struct APIHandler<Store: Repository>: APIProtocol {
    let core: Core<Store>
    let cursors: CursorSigner

    init(core: Core<Store>, cursors: CursorSigner = .ephemeral()) {
        self.core = core
        self.cursors = cursors
    }

    /// The principal the request acts for.
    var principal: Principal {
        get throws { try RequestPrincipal.require() }
    }

    func listOperations(_ input: Operations.ListOperations.Input) async throws -> Operations.ListOperations.Output {
        let pagination = try Pagination(
            list: "operations", limit: input.query.limit, cursor: input.query.cursor, signer: cursors)
        let page = pagination.page(of: try await core.operations(as: principal)) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Operation.init), nextCursor: page.next))))
    }

    func listCorridors(_ input: Operations.ListCorridors.Input) async throws -> Operations.ListCorridors.Output {
        let query = input.query
        let pagination = try Pagination(list: "corridors", limit: query.limit, cursor: query.cursor, signer: cursors)
        let filter = CorridorFilter(
            sectorID: try queryID(query.sectorId, name: "sectorId"),
            group: query.group.map { Group(rawValue: $0.rawValue)! },
            state: query.status.map { CorridorStatus.State(rawValue: $0.rawValue)! })
        let instant = query.at ?? core.now()
        let corridors = try await core.corridors(
            in: try pathID(input.path.operationId, "operation"), at: instant, matching: filter, as: principal)
        let page = pagination.page(of: corridors) { [$0.corridor.code, $0.corridor.id.description] }
        return .ok(
            .init(
                body: .json(
                    .init(
                        at: instant,
                        items: page.items.map { Components.Schemas.Corridor($0.corridor, status: $0.status) },
                        nextCursor: page.next))))
    }
}

/// A record's id from the path: one that is no UUID names no record, and is answered
/// as one that does not exist.
func pathID<T>(_ text: String, _ kind: String) throws(CoreError) -> Identifier<T> {
    guard let id = Identifier<T>(text) else { throw .hidden(kind: kind, id: text) }
    return id
}
