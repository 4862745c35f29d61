import HTTPTypes
import OpenAPIRuntime

/// Reads a query parameter written without `=` (`?limit`) as one with an empty value
/// (`?limit=`), which the operation then refuses with 400 naming it; the runtime would
/// otherwise fail on it as a fault of the server's.
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
        let items = path[path.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: true)
        guard items.contains(where: { !$0.contains("=") }) else { return try await next(request, body, metadata) }
        var request = request
        request.path =
            path[..<mark] + "?" + items.map { $0.contains("=") ? String($0) : $0 + "=" }.joined(separator: "&")
        return try await next(request, body, metadata)
    }
}
