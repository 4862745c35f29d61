import CouloirAPI
import CouloirStorage
import Foundation
import HTTPTypes
import Hummingbird
import NIOHTTP1

/// Problem documents (RFC 9457) for what happens outside the API's own operations:
/// unknown paths, oversized bodies, readiness.
enum ProblemResponse {
    struct Document: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String?
        /// The request's id, as the log names it, on a server error.
        var requestId: String? = nil
    }

    /// `type` defaults to `about:blank`, which RFC 9457 reserves for problems that mean
    /// no more than their status code.
    static func make(
        status: HTTPResponse.Status, title: String, detail: String?, type: String = "about:blank",
        requestID: String? = nil
    ) -> Response {
        let document = Document(
            type: type, title: title, status: status.code, detail: detail, requestId: requestID)
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
///
/// A browser asking for a page gets a page instead (`pages`), in its language, with the
/// same status and the same request id on a server error.
struct HTTPProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    typealias ErrorPages = @Sendable (Request, HTTPResponse.Status, String?) -> Response?
    let routes: RouteTable
    var pages: ErrorPages = { _, _, _ in nil }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let problem = try await answer(request, context: context, next: next)
        guard problem.status.code >= 400, problem.headers[.contentType]?.hasPrefix("application/problem+json") == true,
            var page = pages(request, problem.status, problem.status.code >= 500 ? context.id : nil)
        else { return problem }
        for name in [HTTPField.Name.allow, .retryAfter, .wwwAuthenticate] where problem.headers[name] != nil {
            page.headers[name] = problem.headers[name]
        }
        return page
    }

    private func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
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
        } catch let error as HTTPParserError {
            return ProblemResponse.make(
                status: .badRequest, title: "Bad Request", detail: "The request is not well-formed HTTP: \(error).",
                type: "urn:couloir:problem:bad-request")
        } catch {
            // The cause alone: a wrapped error can carry the request, and its credentials.
            let cause = API.cause(of: error)
            if let storage = cause as? StorageError {
                // Storage that cannot serve (a database from a newer Couloir, migrations
                // pending, a value that cannot be read back, a server stopping) is the
                // server's fault, not the request's: logged with the request's id, which
                // the answer gives too.
                context.logger.error("request.failed", metadata: ["error": "\(storage)"])
                var response = ProblemResponse.make(
                    status: .serviceUnavailable, title: "Storage unavailable", detail: storage.description,
                    type: "urn:couloir:problem:storage", requestID: context.id)
                // A phone's outbox comes back after this; monitoring sees 503s, not crashes.
                if [.full, .stopping].contains(storage) { response.headers[.retryAfter] = "30" }
                return response
            }
            context.logger.error(
                "request.failed",
                metadata: ["error": "\(String(reflecting: cause))", "error.type": "\(type(of: cause))"])
            return ProblemResponse.make(
                status: .internalServerError, title: "Internal Server Error",
                detail: "Something went wrong on the server; the log names it by this request's id.",
                type: "urn:couloir:problem:internal", requestID: context.id)
        }
    }
}
