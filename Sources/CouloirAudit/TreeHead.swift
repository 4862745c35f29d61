public import Crypto
public import Foundation

/// The state of the audit log at a size: the root of its first `size` entries.
public struct TreeHead: Hashable, Sendable {
    public var size: Int64
    public var root: Data
    /// When it was signed, as `AuditTime` writes instants.
    public var signedAt: String

    public init(size: Int64, root: Data, signedAt: String) {
        self.size = size
        self.root = root
        self.signedAt = signedAt
    }

    /// What is signed: four lines of UTF-8, the last without a line feed:
    /// `couloir-audit-tree-head-v1`, the size in decimal, the root in lowercase hex, and
    /// the signing time.
    public var message: Data {
        Data("couloir-audit-tree-head-v1\n\(size)\n\(root.hex)\n\(signedAt)".utf8)
    }
}

/// A tree head with its Ed25519 signature and the public key that made it.
public struct SignedTreeHead: Hashable, Sendable {
    public var head: TreeHead
    /// The signer's 32-byte Ed25519 public key.
    public var publicKey: Data
    public var signature: Data

    public init(head: TreeHead, publicKey: Data, signature: Data) {
        self.head = head
        self.publicKey = publicKey
        self.signature = signature
    }

    /// Whether `trusted` signed this head.
    public func isSigned(by trusted: Curve25519.Signing.PublicKey) -> Bool {
        publicKey == trusted.rawRepresentation && trusted.isValidSignature(signature, for: head.message)
    }
}

/// The key that signs tree heads. It is kept outside the database it vouches for: whoever
/// can rewrite the database must not also be able to sign what they wrote.
public struct AuditSigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// A key from its 32 raw bytes.
    public init(rawRepresentation: Data) throws {
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
    }

    public var rawRepresentation: Data { key.rawRepresentation }
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    public func sign(_ head: TreeHead) throws -> SignedTreeHead {
        SignedTreeHead(
            head: head, publicKey: key.publicKey.rawRepresentation, signature: try key.signature(for: head.message))
    }
}
