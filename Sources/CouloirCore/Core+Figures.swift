public import CouloirDomain
import CouloirStorage
public import Foundation

/// A flow report as asked for: the query, with either end of its span left for the
/// core to choose from what was counted.
public struct FlowRequest: Sendable {
    public var bucket: FlowBucket
    public var from: Date?
    public var until: Date?
    public var groupBy: Set<FlowDimension>
    public var corridorID: Corridor.ID?
    public var checkpointID: Checkpoint.ID?
    public var group: Group?
    public var direction: Direction?

    public init(
        bucket: FlowBucket, from: Date?, until: Date?, groupBy: Set<FlowDimension>, corridorID: Corridor.ID?,
        checkpointID: Checkpoint.ID?, group: Group?, direction: Direction?
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
}

/// People crossing per bucket, with what the figures rest on.
public struct FlowFigures: Sendable {
    public var operation: EvacuationOperation
    public var query: FlowQuery
    public var quarters: Range<QuarterHour>
    public var report: FlowReport
    public var basis: TallyBasis
}

/// Evacuation progress per sector, with what the figures rest on.
public struct ProgressFigures: Sendable {
    public var operation: EvacuationOperation
    public var query: ProgressQuery
    public var sectors: [(progress: SectorProgress, name: String)]
    public var basis: TallyBasis
    /// How many checkpoints' counts the figures add up.
    public var countedCheckpoints: Int
}

extension Core {
    /// People crossing per bucket over the corridors whose flow the principal may read.
    public func flow(in operationID: EvacuationOperation.ID, _ request: FlowRequest, as principal: Principal)
        async throws -> FlowFigures
    {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.requireAnywhere(.readFigures)
        let clock = ZonedClock(operation.timeZone)
        let corridors = access.figureCorridors(try await base.corridors(in: operation.id))
        // A filter naming nothing in the operation is an empty report, as lists are.
        var span = (from: request.from, until: request.until)
        if span.from == nil || span.until == nil {
            span = try await defaultSpan(of: operation.id, bucket: request.bucket, from: span.from, until: span.until)
        }
        let query = FlowQuery(
            bucket: request.bucket, from: span.from!, until: span.until!, groupBy: request.groupBy,
            corridorID: request.corridorID, checkpointID: request.checkpointID, group: request.group,
            direction: request.direction)
        try query.validate(in: clock)
        let quarters = query.quarters(in: clock)
        let checkpoints = FlowReport.countedCheckpoints(for: query, in: corridors).map(\.checkpoint.id)
        let cells = try await base.flowCells(in: operation.id, quarters: quarters, checkpoints: checkpoints)
        let before = try await base.flowTotals(
            in: operation.id, over: FlowSpan(from: nil, until: quarters.lowerBound), checkpoints: checkpoints)
        let report = FlowReport(query: query, corridors: corridors, clock: clock, cells: cells, before: before)
        return FlowFigures(
            operation: operation, query: query, quarters: quarters, report: report,
            basis: try await basis(of: operation.id, at: report.checkpointIDs))
    }

    /// The span a flow report covers when `from` or `until` is not given: what was
    /// counted (the last day when nothing was), at most the latest buckets a report holds.
    private func defaultSpan(
        of operationID: EvacuationOperation.ID, bucket: FlowBucket, from: Date?, until: Date?
    ) async throws -> (from: Date?, until: Date?) {
        let extent = try await base.flowExtent(in: operationID)
        let length: TimeInterval = bucket == .hour ? 3600 : 900
        var end = until ?? extent?.upperBound.end ?? QuarterHour(startingAtOrAfter: now()).start
        if until == nil, let from, end <= from { end = from.addingTimeInterval(length) }
        let earliest = end.addingTimeInterval(-TimeInterval(FlowQuery.maximumBuckets - 1) * length)
        var start = from ?? max(extent?.lowerBound.start ?? end.addingTimeInterval(-86_400), earliest)
        if from == nil, start >= end { start = end.addingTimeInterval(-length) }
        return (start, end)
    }

    /// People remaining in each sector whose figures the principal may read (in
    /// `sectorID` alone when given), the rate they leave at, and whether the pause suffices.
    public func progress(
        in operationID: EvacuationOperation.ID, _ query: ProgressQuery, sectorID: Sector.ID? = nil,
        as principal: Principal
    ) async throws -> ProgressFigures {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.requireAnywhere(.readFigures)
        try query.validate()
        let clock = ZonedClock(operation.timeZone)
        let sectors = access.visible(try await base.sectors(in: operation.id), .sector, for: .readFigures)
            .filter { sectorID ?? $0.id == $0.id }
            .sorted { ($0.name, $0.id.description) < ($1.name, $1.id.description) }
        let corridors = access.figureCorridors(try await base.corridors(in: operation.id))
        let counted = corridors.filter { corridor in sectors.contains { $0.id == corridor.originSectorID } }
            .compactMap(\.checkpoints.first?.id)
        var totals: [FlowSpan: [FlowLine: Int]] = [:]
        for span in query.spans(for: sectors, in: clock) {
            totals[span] = try await base.flowTotals(in: operation.id, over: span, checkpoints: counted)
        }
        let progress = EvacuationProgress.report(
            query, sectors: sectors, corridors: corridors, pauses: try await base.pauses(in: operation.id),
            clock: clock, totals: totals)
        let names = Dictionary(uniqueKeysWithValues: sectors.map { ($0.id, $0.name) })
        return ProgressFigures(
            operation: operation, query: query, sectors: progress.map { ($0, names[$0.sectorID] ?? "") },
            basis: try await basis(of: operation.id, at: counted), countedCheckpoints: counted.count)
    }

    private func basis(of operationID: EvacuationOperation.ID, at checkpoints: [Checkpoint.ID]) async throws
        -> TallyBasis
    {
        let basis = try await base.tallyBasis(in: operationID)
        return checkpoints.compactMap { basis[$0] }.reduce(TallyBasis(), +)
    }
}

/// Protection figures of the people counted leaving, a local day at a time, per
/// corridor (at its counting checkpoint), from the rollups.
public struct ProtectionFigures: Sendable {
    /// One corridor's figures on one day.
    public struct Line: Sendable {
        public var corridor: Corridor
        /// People counted leaving, every group.
        public var people: Int
        public var sickAndWounded: Int
        public var measures: [ProtectionMeasure: Int]
    }

    public struct Day: Sendable {
        public var date: LocalDate
        /// The corridors whose figures the principal may read, in the plan's order.
        public var lines: [Line]
    }

    public var operation: EvacuationOperation
    /// The figures add up the quarter-hours that ended by this instant.
    public var countedThrough: Date
    public var days: [Day]
    public var basis: TallyBasis
    /// How many checkpoints' counts the figures add up: each corridor's first.
    public var countedCheckpoints: Int
}

extension Core {
    /// The most days one request of protection figures covers.
    public static var protectionDays: Int { 31 }

    /// Protection figures for each local day from `first` (the day `until` falls in when
    /// nil) to the day `until` falls in, at most `protectionDays` of them, counted up to
    /// the quarter-hour `until` falls in, over the corridors whose flow the principal may
    /// read.
    public func protection(
        in operationID: EvacuationOperation.ID, from first: LocalDate?, until: Date, as principal: Principal
    ) async throws -> ProtectionFigures {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.requireAnywhere(.readFigures)
        let clock = ZonedClock(operation.timeZone)
        let last = clock.localDate(of: until)
        let first = first ?? last
        guard first <= last else {
            throw DomainError.invalid([FieldIssue("from", "is after the day `until` falls in (\(last))")])
        }
        guard last.daysSinceEpoch - first.daysSinceEpoch < Self.protectionDays else {
            throw DomainError.invalid([
                FieldIssue("from", "covers more than \(Self.protectionDays) days before `until`")
            ])
        }
        let corridors = access.figureCorridors(try await base.corridors(in: operation.id))
        let counting = corridors.compactMap { corridor in corridor.checkpoints.first.map { (corridor, $0.id) } }
        let checkpoints = counting.map(\.1)
        let midnight = LocalTime(hour: 0)!
        let end = QuarterHour(containing: until)
        var days: [ProtectionFigures.Day] = []
        var date = first
        while date <= last {
            let start = QuarterHour(startingAtOrAfter: clock.instant(on: date, at: midnight))
            // A day nothing of which has ended yet adds up no quarter-hour.
            let next = max(
                start,
                min(end, QuarterHour(startingAtOrAfter: clock.instant(on: date.adding(days: 1), at: midnight))))
            let span = FlowSpan(from: start, until: next)
            let measures = try await base.protectionTotals(in: operation.id, over: span, checkpoints: checkpoints)
            let flows = try await base.flowTotals(in: operation.id, over: span, checkpoints: checkpoints)
            let lines = counting.map { corridor, checkpoint in
                var line = ProtectionFigures.Line(corridor: corridor, people: 0, sickAndWounded: 0, measures: [:])
                for (flow, people) in flows where flow.checkpointID == checkpoint && flow.direction == .outbound {
                    line.people += people
                    if flow.group == .sickAndWounded { line.sickAndWounded += people }
                }
                for (key, amount) in measures where key.checkpointID == checkpoint && key.direction == .outbound {
                    line.measures[key.measure, default: 0] += amount
                }
                return line
            }
            days.append(ProtectionFigures.Day(date: date, lines: lines))
            date = date.adding(days: 1)
        }
        return ProtectionFigures(
            operation: operation, countedThrough: end.start, days: days,
            basis: try await basis(of: operation.id, at: checkpoints), countedCheckpoints: checkpoints.count)
    }
}
