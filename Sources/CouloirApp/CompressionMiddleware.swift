import CouloirWeb
import HTTPTypes
import Hummingbird
import NIOCore

/// Compresses text answers for clients that ask (`Accept-Encoding: gzip`): pages, the
/// JSON API's lists and figures, problem documents, forms for ODK Collect. Left as
/// they are: an event stream (its events must leave as they happen), what is encoded
/// already (the static assets, gzipped once at start), what is small, and what carries
/// an `ETag`: a record's tag is its version, sent back in `If-Match`, and a compressed
/// copy would need a tag of its own (RFC 9110 §8.8.3).
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Below this, the gzip header and the work cost more than they save.
    static var smallest: Int { 1_024 }
    /// The most of a body collected to compress: larger bodies go out as they are.
    static var largest: Int { 16 << 20 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        guard request.method != .head, Gzip.isAccepted(by: request.headers[.acceptEncoding]),
            response.headers[.contentEncoding] == nil, response.headers[.eTag] == nil,
            Gzip.isCompressible(response.headers[.contentType]),
            ![.noContent, .notModified].contains(response.status)
        else { return response }
        if let length = response.body.contentLength, length < Self.smallest || length > Self.largest {
            return response
        }
        let collected = Collected()
        try await response.body.write(Collector(into: collected))
        let bytes = collected.buffer
        response.headers[.vary] = response.headers[.vary].map { $0 + ", Accept-Encoding" } ?? "Accept-Encoding"
        guard bytes.readableBytes >= Self.smallest, let compressed = try? Gzip.compress(bytes) else {
            response.body = ResponseBody(byteBuffer: bytes)
            return response
        }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        response.body = ResponseBody(byteBuffer: compressed)
        return response
    }

    /// What a body wrote; the writer is consumed by the body, this is not.
    private final class Collected {
        var buffer = ByteBuffer()
    }

    /// Keeps what a body writes.
    private struct Collector: ResponseBodyWriter {
        let into: Collected

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            into.buffer.writeBuffer(&buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
