import CompressNIO
public import NIOCore

/// gzip (RFC 1952) for answers a client says it can read: pages, scripts, stylesheets,
/// JSON lists. A page of the dashboard in Arabic, about 50 KB, travels in about 9.
public enum Gzip {
    /// Whether `acceptEncoding` (RFC 9110 §12.5.3) takes gzip: named, or `*`, with a
    /// quality above zero.
    public static func isAccepted(by acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var accepted = false
        for part in acceptEncoding.split(separator: ",").prefix(32) {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = fields.first, coding == "gzip" || coding == "x-gzip" || coding == "*" else { continue }
            let quality = fields.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if coding != "*" { return quality > 0 }
            accepted = quality > 0
        }
        return accepted
    }

    /// Whether an answer of `contentType` is worth compressing: text of any kind, never
    /// an event stream, whose events must leave as they happen.
    public static func isCompressible(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        else { return false }
        if type == "text/event-stream" { return false }
        return type.hasPrefix("text/") || type.hasSuffix("+json") || type.hasSuffix("+xml")
            || ["application/json", "application/javascript", "application/xml", "application/yaml"].contains(type)
    }

    /// `bytes`, gzipped.
    public static func compress(_ bytes: ByteBuffer) throws -> ByteBuffer {
        var input = bytes
        return try input.compress(with: .gzip())
    }
}
