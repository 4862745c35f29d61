import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Headers as HTTP has them, around the runtime's URI-style handling of header values:
/// If-Match is bounded before the runtime decodes it (decoding can shorten it), and
/// ETag and Location, which the runtime percent-encodes, go out verbatim.
struct VerbatimHeadersMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let ifMatch = request.headerFields[.ifMatch], ifMatch.count > ETag.maximumLength {
            return ProblemMiddleware.response(for: Problem.ifMatchTooLong)
        }
        var (response, responseBody) = try await next(request, body, metadata)
        for field in [HTTPField.Name.eTag, .location] {
            if let value = response.headerFields[field], let decoded = value.removingPercentEncoding {
                response.headerFields[field] = decoded
            }
        }
        return (response, responseBody)
    }
}
