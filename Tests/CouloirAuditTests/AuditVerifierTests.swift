import CouloirAudit
import Foundation
import Testing

/// A log as the database holds it: entries with the root beside each, and signed heads.
struct LogFixture {
    var entries: [(text: String, root: Data?)] = []
    var heads: [SignedTreeHead] = []
    let key = AuditSigningKey()

    init(size: Int, signedAt sizes: Set<Int>) throws {
        var frontier = MerkleFrontier()
        for index in 0..<size {
            let text = Self.entry(index)
            frontier.append(leafHash: MerkleHash.leaf(Data(text.utf8)))
            entries.append((text, frontier.root))
            if sizes.contains(index + 1) {
                heads.append(
                    try key.sign(
                        TreeHead(size: frontier.size, root: frontier.root, signedAt: "2016-10-20T05:00:00.000Z")))
            }
        }
    }

    static func entry(_ index: Int, actor: String = "user:monitor-1") -> String {
        AuditEntry(
            index: Int64(index), at: "2016-10-20T05:\(String(format: "%02d", index % 60)):00.000Z", actor: actor,
            action: index.isMultiple(of: 3) ? "create" : "update", kind: "tally", id: "t-\(index)",
            operation: "op-1", before: nil, after: String(repeating: "0123456789abcdef", count: 4)
        ).text
    }

    /// Recomputes every stored root from the entries, as someone hiding a change would.
    mutating func recomputeRoots() {
        var frontier = MerkleFrontier()
        for index in entries.indices {
            frontier.append(leafHash: MerkleHash.leaf(Data(entries[index].text.utf8)))
            entries[index].root = frontier.root
        }
    }

    func verify(trusting trusted: AuditSigningKey? = nil) throws(AuditFailure) -> AuditSummary {
        var verifier = AuditVerifier(trusting: (trusted ?? key).publicKey)
        var pending = heads[...]
        for entry in entries {
            try verifier.check(entry: entry.text, recordedRoot: entry.root)
            while let head = pending.first, head.head.size <= verifier.size {
                if head.head.size == verifier.size { try verifier.check(head: head) }
                pending = pending.dropFirst()
            }
        }
        return try verifier.finish(expecting: Int64(entries.count), signedSizes: heads.map(\.head.size))
    }

    /// The index of the first bad entry the verifier names, nil if the log holds up.
    func firstBadEntry(trusting trusted: AuditSigningKey? = nil, expecting size: Int64? = nil) -> Int64? {
        do {
            _ = try verify(trusting: trusted)
            return nil
        } catch {
            return error.entry
        }
    }
}

@Suite struct AuditVerifierTests {
    @Test func anUntouchedLogHoldsUp() throws {
        let log = try LogFixture(size: 12, signedAt: [5, 12])
        let summary = try log.verify()
        #expect(summary.entries == 12)
        #expect(summary.heads == 2)
        #expect(summary.unsigned == 0)
    }

    @Test func changingAnyByteOfAnyEntryNamesThatEntry() throws {
        let log = try LogFixture(size: 12, signedAt: [5, 12])
        for index in log.entries.indices {
            let bytes = Array(log.entries[index].text.utf8)
            for position in bytes.indices {
                var tampered = log
                var changed = bytes
                changed[position] = changed[position] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
                tampered.entries[index].text = String(decoding: changed, as: UTF8.self)
                #expect(tampered.firstBadEntry() == Int64(index), "entry \(index), byte \(position)")
            }
        }
    }

    @Test func changingAnEntryAndEveryRootAfterItIsCaughtByTheNextSignedHead() throws {
        let log = try LogFixture(size: 12, signedAt: [5, 12])
        for index in log.entries.indices {
            var tampered = log
            tampered.entries[index].text = LogFixture.entry(index, actor: "user:someone-else")
            tampered.recomputeRoots()
            // The first entry the last good head does not vouch for.
            #expect(tampered.firstBadEntry() == (index < 5 ? 0 : 5), "entry \(index)")
        }
    }

    @Test func deletingReorderingOrInsertingAnEntryNamesItsPlace() throws {
        let log = try LogFixture(size: 12, signedAt: [5, 12])
        for index in 0..<11 {
            var deleted = log
            deleted.entries.remove(at: index)
            #expect(deleted.firstBadEntry() == Int64(index), "deleting \(index)")

            var swapped = log
            swapped.entries.swapAt(index, index + 1)
            #expect(swapped.firstBadEntry() == Int64(index), "swapping \(index) and \(index + 1)")

            var inserted = log
            inserted.entries.insert((LogFixture.entry(index), log.entries[index].root), at: index)
            #expect(inserted.firstBadEntry() == Int64(index + 1), "inserting a copy of \(index)")
        }
    }

    @Test func cuttingTheLogBelowASignedHeadNamesTheFirstMissingEntry() throws {
        var log = try LogFixture(size: 12, signedAt: [5, 12])
        log.entries.removeLast(3)
        #expect(log.firstBadEntry() == 9)
    }

    @Test func aHeadSignedByAnotherKeyOrWithAChangedSignatureIsRefused() throws {
        let log = try LogFixture(size: 12, signedAt: [5, 12])
        #expect(log.firstBadEntry(trusting: AuditSigningKey()) == 0)
        var forged = log
        forged.heads[1].signature[0] ^= 0x01
        #expect(forged.firstBadEntry() == 5)
        var moved = log
        moved.heads[1].head.signedAt = "2016-10-21T05:00:00.000Z"
        #expect(moved.firstBadEntry() == 5)
    }
}
