import Hummingbird
import Logging

/// Logs each request by method and path, and its answer's status: never the query, where
/// a careless client may have put a token (`?access_token=`), nor a header or a body, nor
/// the token inside an OpenRosa server URL.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let response = try await next(request, context)
        context.logger.info(
            "request",
            metadata: [
                "http.method": "\(request.method)", "http.path": "\(Self.redacted(request.uri.path))",
                "http.status": "\(response.status.code)",
            ])
        return response
    }

    /// `path` without the device token an OpenRosa server URL carries
    /// (`/openrosa/key/<token>/…`).
    static func redacted(_ path: String) -> String {
        let marker = "/openrosa/key/"
        guard path.hasPrefix(marker) else { return path }
        let rest = path.dropFirst(marker.count)
        return marker + "[redacted]" + (rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "")
    }
}

/// Headers every answer carries: browsers must not guess a type other than the one
/// declared, and nothing Couloir answers (records, a session's CSRF token) may be kept
/// by a cache on the way.
struct ProtectiveHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
