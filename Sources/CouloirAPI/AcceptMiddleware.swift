import HTTPTypes
import OpenAPIRuntime

/// The API answers JSON, and its errors problem documents (RFC 9457), whatever `Accept`
/// asks for. Left to the generated code, an `Accept: application/json` would turn a 409
/// with its problem document into a 406, and a client could not tell a conflict from a
/// refusal; serving the one representation there is is what RFC 9110 allows instead.
struct AcceptMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.accept] = nil
        return try await next(request, body, metadata)
    }
}
