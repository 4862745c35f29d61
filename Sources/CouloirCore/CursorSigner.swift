public import Crypto
public import Foundation

/// Signs the cursors lists hand out, so that a cursor the server did not hand out (a
/// forged one, base64 of any key) is refused as such instead of read. Servers sharing a
/// database share the key (it is derived from the audit log's signing key), so a cursor
/// from one reads on another.
public struct CursorSigner: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// A signer whose key is derived from `secret` for cursors alone.
    public init(derivingFrom secret: Data) {
        key = SymmetricKey(
            data: HMAC<SHA256>.authenticationCode(for: Data("couloir cursors".utf8), using: .init(data: secret)))
    }

    /// A key of its own, for tests and tools whose cursors need not outlive them.
    public static func ephemeral() -> CursorSigner { CursorSigner(key: SymmetricKey(size: .bits256)) }

    /// `payload`, then a dot, then its MAC: all base64url, no padding.
    public func sign(_ payload: Data) -> String {
        Self.base64URL(payload) + "." + Self.base64URL(Data(mac(payload)))
    }

    /// The payload of a cursor this signer made; `nil` for any other text.
    public func verify(_ cursor: String) -> Data? {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(base64URL: parts[0]), let tag = Self.data(base64URL: parts[1]),
            HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: payload, using: key)
        else { return nil }
        return payload
    }

    private func mac(_ payload: Data) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: payload, using: key)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The bytes of `text` only if it is how `base64URL(_:)` writes them: Foundation's decoder
    /// ignores the unused low bits of the last character, so without this check a cursor
    /// with its last character changed from `A` to `B` would read as the one handed out.
    private static func data(base64URL text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), base64URL(data) == text else { return nil }
        return data
    }
}
