import Crypto
public import Foundation

/// The hashes of RFC 9162 (Certificate Transparency 2.0), section 2.1.1: a leaf is
/// SHA-256(0x00 ‖ entry), an inner node SHA-256(0x01 ‖ left ‖ right), and the tree of
/// no leaves has the hash of the empty string.
public enum MerkleHash {
    public static func leaf(_ entry: some DataProtocol) -> Data {
        var hasher = SHA256()
        hasher.update(data: leafPrefix)
        hasher.update(data: entry)
        return hasher.finalize().withUnsafeBytes { Data($0) }
    }

    /// An audit append computes a few of these for every entry (the root stored beside
    /// it), so the prefix is made once and the digest copied as bytes.
    public static func node(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: nodePrefix)
        hasher.update(data: left)
        hasher.update(data: right)
        return hasher.finalize().withUnsafeBytes { Data($0) }
    }

    private static let leafPrefix = Data([0x00])
    private static let nodePrefix = Data([0x01])

    public static let emptyTree = Data(SHA256.hash(data: Data()))
}

/// The right edge of a growing Merkle tree: the roots of its perfect subtrees, largest
/// (leftmost) first, one for each bit set in its size. Enough to append a leaf and to
/// compute the root of RFC 9162 in a number of hashes that grows with the logarithm of
/// the size, so the log never has to be read again to extend it.
public struct MerkleFrontier: Hashable, Sendable {
    public private(set) var size: Int64
    public private(set) var subtrees: [Data]

    public init() {
        size = 0
        subtrees = []
    }

    /// A frontier stored earlier; nil unless there is one 32-byte subtree per bit of `size`.
    public init?(size: Int64, subtrees: [Data]) {
        guard size >= 0, subtrees.count == size.nonzeroBitCount, subtrees.allSatisfy({ $0.count == 32 }) else {
            return nil
        }
        self.size = size
        self.subtrees = subtrees
    }

    public mutating func append(leafHash: Data) {
        var hash = leafHash
        // Each trailing one bit of the size is a subtree as large as the one being carried.
        var carried = size
        while carried & 1 == 1 {
            hash = MerkleHash.node(subtrees.removeLast(), hash)
            carried >>= 1
        }
        subtrees.append(hash)
        size += 1
    }

    /// The tree's hash: its subtrees folded from the right, which splits the leaves at
    /// the largest power of two below their number, as RFC 9162 does.
    public var root: Data {
        guard var hash = subtrees.last else { return MerkleHash.emptyTree }
        for left in subtrees.dropLast().reversed() {
            hash = MerkleHash.node(left, hash)
        }
        return hash
    }

    /// The subtrees as one hexadecimal text, for storage.
    public var encodedSubtrees: String {
        subtrees.map(\.hex).joined()
    }

    /// A frontier from `size` and `encodedSubtrees`.
    public init?(size: Int64, encodedSubtrees text: String) {
        guard let bytes = Data(hex: text), bytes.count.isMultiple(of: 32) else { return nil }
        let subtrees = stride(from: 0, to: bytes.count, by: 32).map {
            bytes[bytes.startIndex + $0..<bytes.startIndex + $0 + 32]
        }
        self.init(size: size, subtrees: subtrees.map { Data($0) })
    }
}
