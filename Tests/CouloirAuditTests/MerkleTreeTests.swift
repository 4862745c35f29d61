import CouloirAudit
import Crypto
import Foundation
import Testing

@Suite struct MerkleTreeTests {
    /// RFC 9162's definition, section 2.1.1, written as it reads: the reference the
    /// frontier must agree with.
    static func treeHash(_ leaves: ArraySlice<Data>) -> Data {
        switch leaves.count {
        case 0: return Data(SHA256.hash(data: Data()))
        case 1: return MerkleHash.leaf(leaves.first!)
        default:
            var split = 1
            while split * 2 < leaves.count { split *= 2 }
            let start = leaves.startIndex
            return MerkleHash.node(
                treeHash(leaves[start..<start + split]), treeHash(leaves[(start + split)...]))
        }
    }

    @Test func frontierRootsAreTheTreeHashesOfRFC9162AtEverySize() {
        let leaves = (0..<130).map { Data("entry \($0)".utf8) }
        var frontier = MerkleFrontier()
        #expect(frontier.root == Self.treeHash(leaves[0..<0]))
        for size in 1...leaves.count {
            frontier.append(leafHash: MerkleHash.leaf(leaves[size - 1]))
            #expect(frontier.size == Int64(size))
            #expect(frontier.subtrees.count == size.nonzeroBitCount)
            #expect(frontier.root == Self.treeHash(leaves[0..<size]), "size \(size)")
        }
    }

    @Test func hashesMatchTheCertificateTransparencyVectors() {
        // The tree of no leaves, and the leaf of an empty entry, from RFC 6962's test data.
        #expect(MerkleHash.emptyTree.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleHash.leaf(Data()).hex == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test func aStoredFrontierExtendsAsTheOriginalWould() throws {
        var frontier = MerkleFrontier()
        for number in 0..<23 { frontier.append(leafHash: MerkleHash.leaf(Data([UInt8(number)]))) }
        var restored = try #require(MerkleFrontier(size: frontier.size, encodedSubtrees: frontier.encodedSubtrees))
        frontier.append(leafHash: MerkleHash.leaf(Data("next".utf8)))
        restored.append(leafHash: MerkleHash.leaf(Data("next".utf8)))
        #expect(restored == frontier)
        #expect(MerkleFrontier(size: 25, encodedSubtrees: frontier.encodedSubtrees) == nil)
        #expect(MerkleFrontier(size: 3, encodedSubtrees: "zz") == nil)
    }
}
