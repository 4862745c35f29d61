import CouloirOpenRosa
import CouloirSQLStorage
import Hummingbird
import NIOCore

/// Refuses request bodies over a limit with 413 before anything reads them; the API's
/// runtime would otherwise collect a body of any size into memory.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// 1 MiB, as the API document states.
    static var maximumBytes: Int { 1 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        // OpenRosa answers its own limit with a document the app shows.
        if request.uri.path.hasPrefix(OpenRosaFace<SQLRepository>.pathPrefix + "/") {
            return try await next(request, context)
        }
        var request = request
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > Self.maximumBytes {
            throw HTTPError(.contentTooLarge, message: "The body is over \(Self.maximumBytes) bytes.")
        }
        if [.post, .put, .patch].contains(request.method) {
            do {
                _ = try await request.collectBody(upTo: Self.maximumBytes)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw HTTPError(.contentTooLarge, message: "The body is over \(Self.maximumBytes) bytes.")
            } catch is NIOTooManyBytesError {
                // A chunked body declares no length: it is over the limit once it is.
                throw HTTPError(.contentTooLarge, message: "The body is over \(Self.maximumBytes) bytes.")
            }
        }
        return try await next(request, context)
    }
}
