import Foundation
import Hummingbird

/// Problem documents (RFC 9457) for what happens outside the API's own operations:
/// unknown paths, oversized bodies, readiness.
enum ProblemResponse {
    struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
    }

    /// `type` defaults to `about:blank`, which RFC 9457 reserves for problems that mean
    /// no more than their status code.
    static func make(
        status: HTTPResponse.Status, title: String, detail: String?, type: String = "about:blank"
    ) -> Response {
        let document = Document(
            type: type, title: title, status: status.code, detail: detail)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        let data = (try? encoder.encode(document)) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Answers Hummingbird's own errors (no such route, body too large) as problem documents.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return ProblemResponse.make(status: error.status, title: error.status.reasonPhrase, detail: error.body)
        } catch {
            context.logger.error("request.failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return ProblemResponse.make(status: .internalServerError, title: "Internal Server Error", detail: nil)
        }
    }
}
