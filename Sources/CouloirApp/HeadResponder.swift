import HTTPTypes
import Hummingbird

/// Answers `HEAD` on the pages and static files as their `GET` would be answered, less
/// the body (RFC 9110 §9.3.2), which the HTTP encoder leaves out while keeping its
/// length: a link checker or a proxy probing a page gets its status and headers, not
/// 404. The JSON API and OpenRosa's face declare their own methods; an event stream,
/// which never ends, is answered with its headers alone.
///
/// A responder around the router's, not a middleware: the router finds a route by
/// method before any middleware runs.
struct HeadAnswering<Router: HTTPResponderBuilder>: HTTPResponderBuilder {
    let router: Router

    func buildResponder() -> HeadResponder<Router.Responder> {
        HeadResponder(inner: router.buildResponder())
    }
}

struct HeadResponder<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        guard request.method == .head, !path.hasPrefix("/api/"), !path.hasPrefix("/openrosa") else {
            return try await inner.respond(to: request, context: context)
        }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        if response.headers[.contentType]?.hasPrefix("text/event-stream") == true { response.body = ResponseBody() }
        return response
    }
}
