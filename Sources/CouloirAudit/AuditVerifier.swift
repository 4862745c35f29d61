public import Crypto
public import Foundation

/// Where an audit log stops holding up: the first entry that cannot be trusted, and why.
public struct AuditFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The index of the first bad entry.
    public var entry: Int64
    public var reason: String

    public init(entry: Int64, reason: String) {
        self.entry = entry
        self.reason = reason
    }

    public var description: String { "entry \(entry): \(reason)" }
}

/// What a verified log holds.
public struct AuditSummary: Hashable, Sendable {
    public var entries: Int64
    public var root: Data
    /// Signed heads that checked out.
    public var heads: Int
    /// Entries after the last signed head: in the log, not yet vouched for by a signature.
    public var unsigned: Int64
}

/// Checks a log entry by entry, in order, with the signed tree heads where their sizes
/// fall, without holding the log in memory.
///
/// An entry is bad if it does not read as an entry, if its index is not its place (an
/// entry deleted, inserted, or moved), or if the root recorded beside it is not the root
/// of the log up to it (the entry changed after it was written). A signed head is bad if
/// it is not signed by the trusted key or its root is not the root of the entries up to
/// its size: then one of the entries since the last good head was changed, and the rest
/// of the log recomputed to hide it, and the first of those is named.
public struct AuditVerifier: Sendable {
    private let trusted: Curve25519.Signing.PublicKey
    private var frontier = MerkleFrontier()
    private var verifiedSize: Int64 = 0
    private var heads = 0

    public init(trusting publicKey: Curve25519.Signing.PublicKey) {
        trusted = publicKey
    }

    /// The number of entries checked so far: the index the next one must have.
    public var size: Int64 { frontier.size }

    /// Checks the next entry; `recordedRoot` is the root stored beside it, if any.
    public mutating func check(entry text: String, recordedRoot: Data?) throws(AuditFailure) {
        let position = frontier.size
        guard let entry = AuditEntry(text: text) else {
            throw AuditFailure(entry: position, reason: "is not a well-formed audit entry")
        }
        if entry.index != position {
            throw AuditFailure(
                entry: position, reason: "is not in its place: the entry there has index \(entry.index)")
        }
        frontier.append(leafHash: MerkleHash.leaf(Data(text.utf8)))
        if let recordedRoot, recordedRoot != frontier.root {
            throw AuditFailure(
                entry: position, reason: "does not match the root recorded beside it: it changed after it was written")
        }
    }

    /// Checks a signed head, given after the entry at `head.size - 1`.
    public mutating func check(head signed: SignedTreeHead) throws(AuditFailure) {
        precondition(signed.head.size == frontier.size, "a head is checked after the entries it covers")
        let since = "one of entries \(verifiedSize)…\(signed.head.size - 1) was changed, added or removed"
        guard signed.isSigned(by: trusted) else {
            throw AuditFailure(
                entry: verifiedSize,
                reason: "the tree head at \(signed.head.size) entries is not signed by the trusted key: \(since)")
        }
        guard signed.head.root == frontier.root else {
            throw AuditFailure(
                entry: verifiedSize,
                reason: "the entries do not lead to the tree head signed at \(signed.head.signedAt): \(since)")
        }
        verifiedSize = signed.head.size
        heads += 1
    }

    /// Ends the check once every entry was given; `signedSizes` are the sizes of all
    /// the signed heads, to catch a log cut short below one of them.
    public func finish(expecting recordedSize: Int64? = nil, signedSizes: [Int64] = []) throws(AuditFailure)
        -> AuditSummary
    {
        if let largest = signedSizes.max(), largest > frontier.size {
            throw AuditFailure(
                entry: frontier.size,
                reason: "is missing: a tree head was signed at \(largest) entries, the log holds \(frontier.size)")
        }
        if let recordedSize, recordedSize != frontier.size {
            throw AuditFailure(
                entry: min(recordedSize, frontier.size),
                reason: "the log holds \(frontier.size) entries but recorded \(recordedSize) as appended")
        }
        return AuditSummary(
            entries: frontier.size, root: frontier.root, heads: heads, unsigned: frontier.size - verifiedSize)
    }
}
