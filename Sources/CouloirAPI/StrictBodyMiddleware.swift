import CouloirDomain
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Reads a request body only as what the API document says it is: JSON in UTF-8,
/// declared as `application/json`, not compressed, and strict (`StrictJSON`). Anything
/// else is refused before an operation sees it: 415 for a body of another type or
/// encoding, 400 for one that is not strict JSON, 422 for a string holding a control
/// character, naming its member.
struct StrictBodyMiddleware: ServerMiddleware {
    /// As the router's body limit; the body is already within it when it arrives here.
    static let maximumBytes = 1 << 20

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body, [.post, .put, .patch].contains(request.method) else {
            return try await next(request, body, metadata)
        }
        if let encoding = request.headerFields[.contentEncoding], encoding.lowercased() != "identity" {
            return Self.unsupported("Content-Encoding \(encoding) is not accepted: send the JSON as it is.")
        }
        guard let type = request.headerFields[.contentType] else {
            return Self.unsupported("Say what the body is: Content-Type: application/json.")
        }
        let parameters = type.lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first == "application/json",
            parameters.dropFirst().allSatisfy({ !$0.hasPrefix("charset=") || $0 == "charset=utf-8" })
        else {
            return Self.unsupported("The body must be application/json in UTF-8, not \(type).")
        }
        let bytes = try await [UInt8](collecting: body, upTo: Self.maximumBytes)
        do {
            try StrictJSON.check(bytes)
        } catch .malformed(let reason, let offset) {
            return ProblemMiddleware.response(
                for: Problem.badRequest(detail: "The body is not strict JSON: \(reason) (byte \(offset)).", invalid: [])
            )
        } catch .controlCharacter(let pointer) {
            return ProblemMiddleware.response(
                for: Problem.invalid([
                    FieldIssue(
                        pointer, "holds a control character (such as NUL); text may hold tabs and line breaks only")
                ]))
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    private static func unsupported(_ detail: String) -> (HTTPResponse, HTTPBody?) {
        ProblemMiddleware.response(
            for: .init(
                _type: Problem.base + "unsupported-media-type", title: "Unsupported media type", status: 415,
                detail: detail))
    }
}
