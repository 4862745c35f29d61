import CouloirStorage
import Foundation
import Hummingbird

/// Answers the plan's most frequent reads past the generated server: an operation, and
/// its corridors (with their status at `at`), parties, sectors and pauses. The same
/// handler answers them, through the same core; only the writing of the answer
/// differs, `CompactJSONEncoder` in place of the runtime's encoder, with the same bytes.
/// Writing a corridor list through the runtime's encoder took nearly half of the
/// server's CPU in a profile of that read.
///
/// Only the plain request is taken: no query but `at` on the lists that read at an
/// instant, an `at` without a `+` (which form encoding would read as a space). Anything
/// else, and any error the handler throws, goes on to the generated server, which
/// answers it as before (a read changes nothing, so answering it again is harmless).
struct PlanReadMiddleware<Context: RequestContext, Store: Repository>: RouterMiddleware {
    let handler: APIHandler<Store>
    private let encoder = CompactJSONEncoder()

    init(handler: APIHandler<Store>) {
        self.handler = handler
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get, let path = OperationPath(request.uri.path),
            let response = try? await answer(path, query: request.uri.query)
        else { return try await next(request, context) }
        return response
    }

    /// The answer to a read taken here, or `nil` for one left to the generated server;
    /// an answer other than 200 throws (the generated `ok` and `json` accessors do).
    private func answer(_ path: OperationPath, query: String?) async throws -> Response? {
        let operation = path.operationID
        switch path.rest {
        case "" where query == nil:
            let ok = try await handler.getOperation(.init(path: .init(operationId: operation))).ok
            return try response(ok.body.json, eTag: ok.headers.eTag)
        case "/corridors":
            guard let at = Self.instant(query) else { return nil }
            return try response(
                await handler.listCorridors(.init(path: .init(operationId: operation), query: .init(at: at))).ok.body
                    .json)
        case "/sectors":
            guard let at = Self.instant(query) else { return nil }
            return try response(
                await handler.listSectors(.init(path: .init(operationId: operation), query: .init(at: at))).ok.body
                    .json)
        case "/parties" where query == nil:
            return try response(await handler.listParties(.init(path: .init(operationId: operation))).ok.body.json)
        case "/pauses" where query == nil:
            return try response(await handler.listPauses(.init(path: .init(operationId: operation))).ok.body.json)
        default:
            return nil
        }
    }

    /// The instant a list is read at: `.some(nil)` without a query (now), the instant of
    /// a query that is `at=…` alone, or `nil` for any other query.
    static func instant(_ query: String?) -> Date?? {
        guard let query else { return .some(nil) }
        guard query.hasPrefix("at="), !query.contains("&"), !query.contains("+"),
            let text = query.dropFirst(3).removingPercentEncoding,
            let at = try? RFC3339Transcoder().decode(text)
        else { return nil }
        return at
    }

    private func response(_ body: some Encodable, eTag: String? = nil) throws -> Response {
        JSONAnswer.response(.ok, try encoder.encode(body), eTag: eTag)
    }
}
