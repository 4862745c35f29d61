import CouloirAPI
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

/// Answers Hummingbird's own errors (no such route, body too large) as problem documents,
/// and a known path asked with a method it does not have as 405 with `Allow`.
struct HTTPProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty else {
                return ProblemResponse.make(status: .notFound, title: "Not Found", detail: "No such path.")
            }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            var response = ProblemResponse.make(
                status: .methodNotAllowed, title: "Method Not Allowed",
                detail: "\(request.method.rawValue) is not allowed here; allowed: \(allow).")
            response.headers[.allow] = allow
            return response
        } catch let error as HTTPError {
            return ProblemResponse.make(status: error.status, title: error.status.reasonPhrase, detail: error.body)
        } catch {
            context.logger.error("request.failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return ProblemResponse.make(status: .internalServerError, title: "Internal Server Error", detail: nil)
        }
    }
}
