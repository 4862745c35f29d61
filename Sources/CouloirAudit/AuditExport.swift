public import Foundation

/// The audit export: JSON Lines (one JSON object a line, UTF-8, `\n` after each):
///
/// 1. a header, `{"format":"couloir-audit-export","version":1,"publicKey":"<hex>"}`, the
///    Ed25519 key that signed the heads (a verifier should trust a key it was given
///    separately, not this one);
/// 2. every entry in index order, `{"index":N,"entry":"<entry text>","root":"<hex>"}`,
///    where `entry` is a JSON string whose value is the exact `AuditEntry` text hashed
///    into leaf N, and `root` the root of entries 0…N;
/// 3. each signed tree head right after the entry that completes it (the one at index
///    size − 1), `{"head":{"size":N,"root":"<hex>","signedAt":"<time>","publicKey":"<hex>",
///    "signature":"<hex>"}}`, the signature over `TreeHead.message`.
///
/// Hashes are lowercase hex; leaves and nodes as RFC 9162 hashes them.
public enum AuditExport {
    public static func header(publicKey: Data) throws -> String {
        try line(Header(format: "couloir-audit-export", version: 1, publicKey: publicKey.hex))
    }

    public static func entry(index: Int64, text: String, root: Data) throws -> String {
        try line(Entry(index: index, entry: text, root: root.hex))
    }

    public static func head(_ signed: SignedTreeHead) throws -> String {
        try line(
            HeadLine(
                head: Head(
                    size: signed.head.size, root: signed.head.root.hex, signedAt: signed.head.signedAt,
                    publicKey: signed.publicKey.hex, signature: signed.signature.hex)))
    }

    private static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    private struct Header: Encodable {
        var format: String
        var version: Int
        var publicKey: String
    }

    private struct Entry: Encodable {
        var index: Int64
        var entry: String
        var root: String
    }

    private struct HeadLine: Encodable {
        var head: Head
    }

    private struct Head: Encodable {
        var size: Int64
        var root: String
        var signedAt: String
        var publicKey: String
        var signature: String
    }
}
