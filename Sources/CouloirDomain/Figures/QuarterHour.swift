public import Foundation

/// The quarter of an hour [start, start + 15 min), numbered from 1970-01-01T00:00Z.
///
/// Flows are kept by quarter-hour. Every time zone in use today is a whole number of
/// quarter-hours away from UTC, so a local hour is always made of four whole quarters.
public struct QuarterHour: Hashable, Comparable, Sendable, Strideable, CustomStringConvertible {
    public static let milliseconds: Int64 = 900_000

    /// Quarter-hours since 1970-01-01T00:00Z; negative before.
    public var index: Int64

    public init(index: Int64) {
        self.index = index
    }

    /// The quarter-hour `instant` falls in.
    public init(containing instant: Date) {
        index = Self.floorDivide(Self.milliseconds(of: instant), by: Self.milliseconds)
    }

    /// The first quarter-hour that starts at or after `instant`.
    public init(startingAtOrAfter instant: Date) {
        let containing = QuarterHour(containing: instant)
        self = containing.start == instant ? containing : containing.advanced(by: 1)
    }

    public var start: Date { Date(timeIntervalSince1970: TimeInterval(index * Self.milliseconds) / 1000) }
    public var end: Date { advanced(by: 1).start }

    public static func < (lhs: QuarterHour, rhs: QuarterHour) -> Bool { lhs.index < rhs.index }
    public func distance(to other: QuarterHour) -> Int64 { other.index - index }
    public func advanced(by n: Int64) -> QuarterHour { QuarterHour(index: index + n) }

    public var description: String { start.formatted(.iso8601) }

    /// Whole milliseconds since 1970, to the nearest: the precision storage keeps.
    static func milliseconds(of instant: Date) -> Int64 {
        Int64((instant.timeIntervalSince1970 * 1000).rounded())
    }

    static func floorDivide(_ a: Int64, by b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }
}

/// Where, which way and who: a line of flow over time.
public struct FlowLine: Hashable, Sendable {
    public var checkpointID: Checkpoint.ID
    public var direction: Direction
    public var group: Group

    public init(checkpointID: Checkpoint.ID, direction: Direction, group: Group) {
        self.checkpointID = checkpointID
        self.direction = direction
        self.group = group
    }
}

/// A line in one quarter-hour: the cell a rollup of flows is kept in.
public struct FlowKey: Hashable, Sendable {
    public var line: FlowLine
    public var quarter: QuarterHour

    public init(line: FlowLine, quarter: QuarterHour) {
        self.line = line
        self.quarter = quarter
    }
}

extension Tally {
    /// The people this tally counts, by the quarter-hours its interval covers.
    ///
    /// A tally over several quarter-hours is spread over them in proportion to how much of
    /// each it covers, in whole people: each quarter gets its share rounded down, and the
    /// people left over go one each to the quarters with the largest remainders (the
    /// earliest first on a tie). The shares always add up to the count, so totals are
    /// exact whatever the bucket, and a rate over a few quarter-hours is not a spike.
    public var flow: [FlowKey: Int] {
        var flow: [FlowKey: Int] = [:]
        for count in counts where count.people > 0 {
            let line = FlowLine(checkpointID: checkpointID, direction: direction, group: count.group)
            for (quarter, share) in spread(count.people) {
                flow[FlowKey(line: line, quarter: quarter), default: 0] += share
            }
        }
        return flow
    }

    /// `amount` spread over the quarter-hours the interval covers, as `flow` spreads people.
    func spread(_ amount: Int) -> [(QuarterHour, Int)] {
        let start = QuarterHour.milliseconds(of: interval.start)
        let end = QuarterHour.milliseconds(of: interval.end)
        guard end > start, amount > 0 else { return [] }
        let first = QuarterHour(containing: interval.start)
        let last = QuarterHour(index: QuarterHour.floorDivide(end - 1, by: QuarterHour.milliseconds))
        let quarters = Array(first...last)
        let overlaps = quarters.map { quarter in
            let quarterStart = quarter.index * QuarterHour.milliseconds
            return min(end, quarterStart + QuarterHour.milliseconds) - max(start, quarterStart)
        }
        return zip(quarters, Self.apportion(amount, by: overlaps)).filter { $0.1 > 0 }
    }

    /// `total` split in proportion to `weights` (all positive) by largest remainder.
    static func apportion(_ total: Int, by weights: [Int64]) -> [Int] {
        let sum = weights.reduce(0, +)
        var shares = weights.map { Int(Int64(total) * $0 / sum) }
        let remainders = weights.map { Int64(total) * $0 % sum }
        let left = total - shares.reduce(0, +)
        let order = remainders.indices.sorted {
            remainders[$0] > remainders[$1] || (remainders[$0] == remainders[$1] && $0 < $1)
        }
        for i in order.prefix(left) {
            shares[i] += 1
        }
        return shares
    }
}
