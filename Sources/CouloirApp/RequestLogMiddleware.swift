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
    /// (`/openrosa/key/<token>/…`), however its slashes were doubled (the router reads
    /// `//openrosa//key/<token>` as the same path), and without any segment that looks
    /// like a token wherever it stands.
    static func redacted(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var afterKey = false
        var redacted = false
        var seenOpenRosa = false
        let kept = segments.map { segment -> Substring in
            defer {
                if !segment.isEmpty {
                    afterKey = seenOpenRosa && segment.lowercased() == "key"
                    seenOpenRosa = seenOpenRosa || segment.lowercased() == "openrosa"
                }
            }
            if !segment.isEmpty, afterKey || segment.hasPrefix("couloir_") {
                redacted = true
                return "[redacted]"
            }
            return segment
        }
        return redacted ? kept.joined(separator: "/") : path
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
