import HTTPTypes
import OpenAPIRuntime

/// Reads a query parameter written without `=` (`?limit`) as one with an empty value
/// (`?limit=`), which the operation then refuses with 400 naming it, and leaves out the
/// empty components (`?&`, `&&`, `&=`), which name nothing; the runtime would otherwise
/// fail on either as a fault of the server's.
struct QueryMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let path = request.path, let mark = path.firstIndex(of: "?") else {
            return try await next(request, body, metadata)
        }
        let query = path[path.index(after: mark)...]
        let items = query.split(separator: "&", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("=") }
            .map { $0.contains("=") ? String($0) : $0 + "=" }
        let rebuilt = items.joined(separator: "&")
        guard rebuilt != query else { return try await next(request, body, metadata) }
        var request = request
        request.path = items.isEmpty ? String(path[..<mark]) : path[..<mark] + "?" + rebuilt
        return try await next(request, body, metadata)
    }
}
