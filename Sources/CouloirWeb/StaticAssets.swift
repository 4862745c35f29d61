import Foundation
import Hummingbird

/// The stylesheet and the script, read once and served from memory with a strong
/// `ETag`; a browser revalidates them rather than fetching them again. Each is gzipped
/// once too, served with an `ETag` of its own to clients that take gzip.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let bytes: [UInt8]
        let gzipped: ByteBuffer
        let contentType: String
        let etag: String
        /// The gzipped bytes' validator: another representation, another tag.
        var gzipETag: String { String(etag.dropLast()) + "-gzip\"" }
    }

    let assets: [String: Asset]

    static func bundled() throws -> StaticAssets {
        var assets: [String: Asset] = [:]
        for (name, type) in [
            ("couloir.css", "text/css; charset=utf-8"), ("couloir.js", "text/javascript; charset=utf-8"),
            ("couloir-field.js", "text/javascript; charset=utf-8"),
            ("couloir-field-sw.js", "text/javascript; charset=utf-8"),
            ("couloir-field.webmanifest", "application/manifest+json"),
        ] {
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Static") else {
                throw CocoaError(.fileNoSuchFile)
            }
            let bytes = try [UInt8](Data(contentsOf: url))
            let digest = bytes.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
            assets[name] = Asset(
                bytes: bytes, gzipped: try Gzip.compress(ByteBuffer(bytes: bytes)), contentType: type,
                etag: "\"\(String(digest, radix: 16))\"")
        }
        return StaticAssets(assets: assets)
    }

    func add<Context: RequestContext>(to router: Router<Context>) {
        for name in assets.keys { add(to: router, name: name, at: "/static/\(name)") }
    }

    /// Serves the asset `name` at `path`: a service worker is served from the path whose
    /// pages it serves.
    func add<Context: RequestContext>(to router: Router<Context>, name: String, at path: String) {
        guard let asset = assets[name] else { return }
        let answer: @Sendable (Request) -> Response = { request in
            let gzip = Gzip.isAccepted(by: request.headers[.acceptEncoding])
            var headers = HTTPFields()
            headers[.contentType] = asset.contentType
            headers[.eTag] = gzip ? asset.gzipETag : asset.etag
            headers[.cacheControl] = "no-cache"
            headers[.vary] = "Accept-Encoding"
            if gzip { headers[.contentEncoding] = "gzip" }
            PageHeaders.apply(to: &headers)
            let tags = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if tags.contains(asset.etag) || tags.contains(asset.gzipETag) || tags.contains("*") {
                return Response(status: .notModified, headers: headers)
            }
            let body = gzip ? asset.gzipped : ByteBuffer(bytes: asset.bytes)
            // For HEAD too: the encoder leaves the body out and keeps its length.
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        router.get(RouterPath(path)) { request, _ in answer(request) }
        router.head(RouterPath(path)) { request, _ in answer(request) }
    }
}
