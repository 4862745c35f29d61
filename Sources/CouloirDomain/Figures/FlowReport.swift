public import Foundation

/// How long the buckets of a flow report are.
public enum FlowBucket: String, Hashable, Sendable, CaseIterable {
    /// Hours of the operation's wall clock.
    case hour
    case quarterHour
}

/// What a flow report may break its series down by.
public enum FlowDimension: String, Hashable, Sendable, CaseIterable {
    case corridor
    case checkpoint
    case group
    case direction
}

/// What a flow report asks for.
public struct FlowQuery: Hashable, Sendable {
    /// The most buckets one report holds: 31 days of quarter-hours, 124 days of hours.
    public static let maximumBuckets = 2_976

    public var bucket: FlowBucket
    /// The report covers the buckets that overlap [from, until).
    public var from: Date
    public var until: Date
    public var groupBy: Set<FlowDimension>
    public var corridorID: Corridor.ID?
    public var checkpointID: Checkpoint.ID?
    public var group: Group?
    public var direction: Direction?

    public init(
        bucket: FlowBucket, from: Date, until: Date, groupBy: Set<FlowDimension>, corridorID: Corridor.ID? = nil,
        checkpointID: Checkpoint.ID? = nil, group: Group? = nil, direction: Direction? = nil
    ) {
        self.bucket = bucket
        self.from = from
        self.until = until
        self.groupBy = groupBy
        self.corridorID = corridorID
        self.checkpointID = checkpointID
        self.group = group
        self.direction = direction
    }

    /// Whether each checkpoint counts on its own. Otherwise a corridor's flow is what its
    /// first checkpoint counted: the checkpoints further along count the same people again.
    public var countsEveryCheckpoint: Bool { groupBy.contains(.checkpoint) || checkpointID != nil }

    /// The quarter-hours the report reads: [first, end), widened to whole buckets.
    public func quarters(in clock: ZonedClock) -> Range<QuarterHour> {
        var first = QuarterHour(containing: from)
        var end = QuarterHour(startingAtOrAfter: until)
        if end <= first { end = first.advanced(by: 1) }
        if bucket == .hour {
            while !clock.startsHour(first) { first = first.advanced(by: -1) }
            while !clock.startsHour(end) { end = end.advanced(by: 1) }
        }
        return first..<end
    }

    public func validate(in clock: ZonedClock) throws(DomainError) {
        var validator = Validator()
        validator.check(from < until, "until", "must be after from")
        if from < until {
            let quarters = self.quarters(in: clock)
            let buckets = bucket == .hour ? quarters.count / 4 : quarters.count
            validator.check(
                buckets <= Self.maximumBuckets, "until",
                "a report holds at most \(Self.maximumBuckets) buckets; this asks for \(buckets)")
        }
        try validator.finish()
    }
}

/// People crossing over time, bucket by bucket, with running totals from the start.
public struct FlowSeries: Hashable, Sendable {
    /// Set when the series is broken down by corridor or checkpoint.
    public var corridorID: Corridor.ID?
    public var checkpointID: Checkpoint.ID?
    public var group: Group?
    public var direction: Direction?
    /// Everyone counted before the first bucket.
    public var before: Int
    public var points: [FlowPoint]

    /// Everyone counted up to the end of the last bucket.
    public var total: Int { points.last?.cumulative ?? before }
}

public struct FlowPoint: Hashable, Sendable {
    public var bucket: Interval
    public var people: Int
    /// Everyone counted up to the end of this bucket, since counting began.
    public var cumulative: Int
}

/// Flows by bucket, from the quarter-hour rollups of the tallies that count.
public struct FlowReport: Hashable, Sendable {
    public var query: FlowQuery
    public var buckets: [Interval]
    public var series: [FlowSeries]
    /// The checkpoints whose tallies the report adds up.
    public var checkpointIDs: [Checkpoint.ID]

    /// - Parameters:
    ///   - cells: people by line and quarter-hour, at least over the report's quarters.
    ///   - before: people by line before the report's first quarter-hour.
    ///   - corridors: the operation's corridors, in the order the series should follow.
    public init(
        query: FlowQuery, corridors: [Corridor], clock: ZonedClock, cells: [FlowKey: Int], before: [FlowLine: Int]
    ) {
        self.query = query
        let quarters = query.quarters(in: clock)
        var bucketOf: [QuarterHour: Int] = [:]
        var buckets: [Interval] = []
        for quarter in quarters {
            if query.bucket == .quarterHour || buckets.isEmpty || clock.startsHour(quarter) {
                buckets.append(Interval(start: quarter.start, end: quarter.end))
            } else {
                buckets[buckets.count - 1].end = quarter.end
            }
            bucketOf[quarter] = buckets.count - 1
        }
        self.buckets = buckets

        let counted = Self.countedCheckpoints(for: query, in: corridors)
        checkpointIDs = counted.map(\.checkpoint.id)
        var order: [SeriesKey] = []
        var people: [SeriesKey: [Int]] = [:]
        var earlier: [SeriesKey: Int] = [:]
        func add(_ key: SeriesKey) {
            guard people[key] == nil else { return }
            order.append(key)
            people[key] = Array(repeating: 0, count: buckets.count)
        }
        var corridorOf: [Checkpoint.ID: Corridor] = [:]
        for (corridor, checkpoint) in counted {
            corridorOf[checkpoint.id] = corridor
            for group in Group.allCases where query.group ?? group == group {
                guard corridor.allows(group) || !query.groupBy.contains(.group) else { continue }
                for direction in Direction.allCases where query.direction ?? direction == direction {
                    add(SeriesKey(query: query, corridor: corridor, checkpoint: checkpoint.id, group, direction))
                }
            }
        }
        func key(of line: FlowLine) -> SeriesKey? {
            guard let corridor = corridorOf[line.checkpointID], query.group ?? line.group == line.group,
                query.direction ?? line.direction == line.direction
            else { return nil }
            return SeriesKey(
                query: query, corridor: corridor, checkpoint: line.checkpointID, line.group, line.direction)
        }
        for (line, count) in before {
            guard let key = key(of: line) else { continue }
            add(key)
            earlier[key, default: 0] += count
        }
        for (cell, count) in cells {
            guard let bucket = bucketOf[cell.quarter], let key = key(of: cell.line) else { continue }
            add(key)
            people[key]![bucket] += count
        }
        series = order.map { key in
            var cumulative = earlier[key, default: 0]
            let points = zip(buckets, people[key]!).map { bucket, count in
                cumulative += count
                return FlowPoint(bucket: bucket, people: count, cumulative: cumulative)
            }
            return FlowSeries(
                corridorID: key.corridorID, checkpointID: key.checkpointID, group: key.group,
                direction: key.direction, before: earlier[key, default: 0], points: points)
        }
    }

    /// The checkpoints whose counts the query adds up, with their corridors, in order.
    public static func countedCheckpoints(
        for query: FlowQuery, in corridors: [Corridor]
    ) -> [(corridor: Corridor, checkpoint: Checkpoint)] {
        corridors.filter { query.corridorID ?? $0.id == $0.id }.flatMap { corridor in
            let checkpoints =
                query.countsEveryCheckpoint
                ? corridor.checkpoints.filter { query.checkpointID ?? $0.id == $0.id }
                : Array(corridor.checkpoints.prefix(1))
            return checkpoints.map { (corridor, $0) }
        }
    }

    /// What one series adds up: the dimensions the query breaks down by, the others nil.
    private struct SeriesKey: Hashable {
        var corridorID: Corridor.ID?
        var checkpointID: Checkpoint.ID?
        var group: Group?
        var direction: Direction?

        init(query: FlowQuery, corridor: Corridor, checkpoint: Checkpoint.ID, _ group: Group, _ direction: Direction) {
            let byCheckpoint = query.groupBy.contains(.checkpoint)
            corridorID = byCheckpoint || query.groupBy.contains(.corridor) ? corridor.id : nil
            checkpointID = byCheckpoint ? checkpoint : nil
            self.group = query.groupBy.contains(.group) ? group : nil
            self.direction = query.groupBy.contains(.direction) ? direction : nil
        }
    }
}

extension ZonedClock {
    /// Whether `quarter` begins an hour on this clock's wall. Under an offset that is no
    /// whole number of quarter-hours (local mean times before the 1920s), hours are UTC's.
    public func startsHour(_ quarter: QuarterHour) -> Bool {
        var offset = Int64(timeZone.secondsFromGMT(for: quarter.start)) * 1000
        if offset % QuarterHour.milliseconds != 0 { offset = 0 }
        return (quarter.index * QuarterHour.milliseconds + offset) % 3_600_000 == 0
    }
}
