import CouloirDemo
import CouloirDomain
import Foundation

/// Made-up tallies for benchmarks, the same for a seed on every machine: quarter-hour
/// counts at random checkpoints over three days, one in fifty a correction of a recent one.
struct BenchTallies {
    let operationID: EvacuationOperation.ID
    let checkpoints: [Checkpoint.ID]
    /// 2016-10-20T05:00Z, the morning the Aleppo pause began.
    let origin = Date(timeIntervalSince1970: 1_476_939_600)
    let quarters = 288
    private var random: SeededGenerator
    private var recent: [Tally] = []

    init(operationID: EvacuationOperation.ID, checkpoints: [Checkpoint.ID], seed: UInt64) {
        self.operationID = operationID
        self.checkpoints = checkpoints
        random = SeededGenerator(seed: seed)
    }

    mutating func next() -> Tally {
        if recent.count > 100, Int.random(in: 0..<50, using: &random) == 0 {
            var correction = recent[Int.random(in: 0..<recent.count, using: &random)]
            correction.supersedes = correction.id
            correction.id = Tally.ID(Self.uuid(using: &random))
            correction.counts[0].people = Int.random(in: 0...40, using: &random)
            return remember(correction)
        }
        let quarter = Double(Int.random(in: 0..<quarters, using: &random))
        let start = origin.addingTimeInterval(quarter * 900)
        var counts = [GroupCount(group: .civilians, people: Int.random(in: 0...40, using: &random))]
        if Int.random(in: 0..<4, using: &random) == 0 {
            counts.append(GroupCount(group: .sickAndWounded, people: Int.random(in: 0...5, using: &random)))
        }
        return remember(
            Tally(
                id: Tally.ID(Self.uuid(using: &random)), operationID: operationID,
                checkpointID: checkpoints[Int.random(in: 0..<checkpoints.count, using: &random)],
                interval: Interval(start: start, end: start.addingTimeInterval(900)),
                direction: Int.random(in: 0..<10, using: &random) == 0 ? .inbound : .outbound, counts: counts,
                source: Source(name: "Bench team", kind: .monitor, illustrative: true)))
    }

    mutating func next(_ count: Int) -> [Tally] {
        (0..<count).map { _ in next() }
    }

    private mutating func remember(_ tally: Tally) -> Tally {
        if recent.count == 1_000 { recent.removeFirst(500) }
        recent.append(tally)
        return tally
    }

    private static func uuid(using random: inout SeededGenerator) -> UUID {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// The tally as the API takes it.
    static func json(_ tally: Tally) -> String {
        let counts = tally.counts.map { #"{"group":"\#($0.group.rawValue)","people":\#($0.people)}"# }
        let supersedes = tally.supersedes.map { #","supersedes":"\#($0)""# } ?? ""
        return #"""
            {"id":"\#(tally.id)","checkpointId":"\#(tally.checkpointID)","interval":{"start":"\#(instant(tally.interval.start))","end":"\#(instant(tally.interval.end))"},"direction":"\#(tally.direction.rawValue)","counts":[\#(counts.joined(separator: ","))]\#(supersedes),"source":{"name":"\#(tally.source.name)","kind":"monitor","illustrative":true}}
            """#
    }

    static func instant(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
