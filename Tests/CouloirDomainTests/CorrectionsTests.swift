import CouloirDemo
import CouloirDomain
import Foundation
import Testing

/// Corrections delivered in any order, and with duplicates, give the figures delivered
/// in order: checked on random correction chains from a seeded generator.
@Suite("Tally corrections")
struct CorrectionsTests {
    static let operation = EvacuationOperation.ID()
    static let checkpoint = Checkpoint.ID()
    static let source = Source(name: "Monitor team 1", kind: .monitor)

    static func tally(_ people: Int, supersedes: Tally.ID? = nil, id: Tally.ID = Tally.ID()) -> Tally {
        Tally(
            id: id, operationID: operation, checkpointID: checkpoint,
            interval: Interval(start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 900)),
            direction: .outbound, counts: [GroupCount(group: .civilians, people: people)], supersedes: supersedes,
            source: source)
    }

    /// Several independent tallies, each corrected by a chain of up to five corrections,
    /// delivered in order: the last of each chain counts.
    static func chains(using random: inout SeededGenerator) -> (inOrder: [Tally], expected: Int) {
        var delivered: [Tally] = []
        var expected = 0
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            var last = tally(Int.random(in: 0...500, using: &random))
            delivered.append(last)
            for _ in 0..<Int.random(in: 0...5, using: &random) {
                last = tally(Int.random(in: 0...500, using: &random), supersedes: last.id)
                delivered.append(last)
            }
            expected += last.count(of: .civilians)
        }
        return (delivered, expected)
    }

    @Test(arguments: 0..<200)
    func anyOrderWithDuplicatesGivesTheInOrderFigures(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let (inOrder, expected) = Self.chains(using: &random)
        var scrambled =
            inOrder
            + (0..<Int.random(in: 0...inOrder.count, using: &random)).map { _ in
                inOrder.randomElement(using: &random)!
            }
        scrambled.shuffle(using: &random)
        #expect(Corrections.totals(inOrder)[.civilians, default: 0] == expected)
        #expect(Corrections.totals(scrambled) == Corrections.totals(inOrder))
        #expect(Corrections.effective(scrambled) == Corrections.effective(inOrder))
    }

    @Test func aCorrectionArrivingFirstHidesItsOriginalWhenItComes() {
        let original = Self.tally(40)
        let correction = Self.tally(42, supersedes: original.id)
        #expect(Corrections.totals([correction])[.civilians] == 42)
        #expect(Corrections.totals([correction, original])[.civilians] == 42)
        #expect(Corrections.effective([correction, original, correction]) == [correction])
    }

    @Test func talliesSupersedingEachOtherInACycleCountForNothing() {
        let a = Tally.ID()
        let b = Tally.ID()
        let cycle = [Self.tally(10, supersedes: b, id: a), Self.tally(20, supersedes: a, id: b)]
        #expect(Corrections.effective(cycle).isEmpty)
    }
}
