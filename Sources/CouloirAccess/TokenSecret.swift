import CouloirDomain
import Crypto
import Foundation

/// The secret of an access token: 256 random bits, shown once; Couloir keeps only its
/// SHA-256, which is enough for a secret this random (no salt or slow hash needed, unlike
/// a password a person chose).
public enum TokenSecret {
    public static let prefix = "couloir_"

    /// `couloir_` and 43 base64url characters.
    public static func generate() -> String {
        prefix + random256Bits()
    }

    /// 256 random bits as 43 base64url characters: a token's secret without its prefix,
    /// or a session's.
    public static func random256Bits() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// What is stored and looked up: SHA-256 of the secret, in lowercase hex.
    public static func digest(_ secret: String) -> String {
        Data(SHA256.hash(data: Data(secret.utf8))).hex
    }
}
