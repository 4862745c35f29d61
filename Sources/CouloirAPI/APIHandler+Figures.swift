import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func getFlow(_ input: Operations.GetFlow.Input) async throws -> Operations.GetFlow.Output {
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireAnywhere(.readFigures)
        let query = input.query
        let clock = ZonedClock(operation.timeZone)
        let corridors = access.figureCorridors(try await store.corridors(in: operation.id))
        let bucket = FlowBucket(rawValue: query.bucket?.rawValue ?? FlowBucket.hour.rawValue)!
        let corridorID: Corridor.ID? = try queryID(query.corridorId, name: "corridorId")
        let checkpointID: Checkpoint.ID? = try queryID(query.checkpointId, name: "checkpointId")
        // A filter naming nothing in the operation is an empty report, as lists are.
        var span = (from: query.from, until: query.until)
        if span.from == nil || span.until == nil {
            span = try await defaultSpan(of: operation.id, bucket: bucket, from: span.from, until: span.until)
        }
        let flowQuery = FlowQuery(
            bucket: bucket, from: span.from!, until: span.until!,
            groupBy: Set((query.groupBy ?? []).map { FlowDimension(rawValue: $0.rawValue)! }),
            corridorID: corridorID, checkpointID: checkpointID,
            group: query.group.map { Group(rawValue: $0.rawValue)! },
            direction: query.direction.map { Direction(rawValue: $0.rawValue)! })
        try flowQuery.validate(in: clock)
        let quarters = flowQuery.quarters(in: clock)
        let checkpoints = FlowReport.countedCheckpoints(for: flowQuery, in: corridors).map(\.checkpoint.id)
        let cells = try await store.flowCells(in: operation.id, quarters: quarters, checkpoints: checkpoints)
        let before = try await store.flowTotals(
            in: operation.id, over: FlowSpan(from: nil, until: quarters.lowerBound), checkpoints: checkpoints)
        let report = FlowReport(query: flowQuery, corridors: corridors, clock: clock, cells: cells, before: before)
        let basis = try await basis(of: operation.id, at: report.checkpointIDs)
        return .ok(
            .init(
                body: .json(
                    .init(
                        operationId: operation.id.description, bucket: .init(rawValue: bucket.rawValue)!,
                        timeZone: operation.timeZoneIdentifier, from: quarters.lowerBound.start,
                        until: quarters.upperBound.start,
                        groupBy: FlowDimension.allCases.filter(flowQuery.groupBy.contains).map {
                            .init(rawValue: $0.rawValue)!
                        },
                        checkpointIds: report.checkpointIDs.map(\.description),
                        series: report.series.map(Components.Schemas.FlowSeries.init),
                        basis: .init(basis), source: .init(basis.source(checkpoints: report.checkpointIDs.count))))))
    }

    /// The span a flow report covers when `from` or `until` is not given: what was
    /// counted (the last day when nothing was), at most the latest buckets a report holds.
    private func defaultSpan(
        of operationID: EvacuationOperation.ID, bucket: FlowBucket, from: Date?, until: Date?
    ) async throws -> (from: Date?, until: Date?) {
        let extent = try await store.flowExtent(in: operationID)
        let length: TimeInterval = bucket == .hour ? 3600 : 900
        var end = until ?? extent?.upperBound.end ?? QuarterHour(startingAtOrAfter: now()).start
        if until == nil, let from, end <= from { end = from.addingTimeInterval(length) }
        let earliest = end.addingTimeInterval(-TimeInterval(FlowQuery.maximumBuckets - 1) * length)
        var start = from ?? max(extent?.lowerBound.start ?? end.addingTimeInterval(-86_400), earliest)
        if from == nil, start >= end { start = end.addingTimeInterval(-length) }
        return (start, end)
    }

    func getProgress(_ input: Operations.GetProgress.Input) async throws -> Operations.GetProgress.Output {
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireAnywhere(.readFigures)
        let query = input.query
        let clock = ZonedClock(operation.timeZone)
        let minutes = query.windowMinutes ?? 60
        guard minutes % 15 == 0 else {
            throw DomainError.invalid([FieldIssue("windowMinutes", "must be whole quarter-hours (15, 30, 45, …)")])
        }
        let progressQuery = ProgressQuery(at: query.at ?? now(), windowQuarters: minutes / 15)
        try progressQuery.validate()
        let sectorID: Sector.ID? = try queryID(query.sectorId, name: "sectorId")
        let sectors = access.visible(try await store.sectors(in: operation.id), .sector, for: .readFigures).filter {
            sectorID ?? $0.id == $0.id
        }
        .sorted { ($0.name, $0.id.description) < ($1.name, $1.id.description) }
        let corridors = access.figureCorridors(try await store.corridors(in: operation.id))
        let counted = corridors.filter { corridor in sectors.contains { $0.id == corridor.originSectorID } }
            .compactMap(\.checkpoints.first?.id)
        var totals: [FlowSpan: [FlowLine: Int]] = [:]
        for span in progressQuery.spans(for: sectors, in: clock) {
            totals[span] = try await store.flowTotals(in: operation.id, over: span, checkpoints: counted)
        }
        let progress = EvacuationProgress.report(
            progressQuery, sectors: sectors, corridors: corridors, pauses: try await store.pauses(in: operation.id),
            clock: clock, totals: totals)
        let basis = try await basis(of: operation.id, at: counted)
        let names = Dictionary(uniqueKeysWithValues: sectors.map { ($0.id, $0.name) })
        return .ok(
            .init(
                body: .json(
                    .init(
                        operationId: operation.id.description, at: progressQuery.at,
                        countedThrough: progressQuery.countedThrough.start, windowMinutes: minutes,
                        sectors: progress.map { .init($0, name: names[$0.sectorID] ?? "") }, basis: .init(basis),
                        source: .init(basis.source(checkpoints: counted.count))))))
    }

    private func basis(of operationID: EvacuationOperation.ID, at checkpoints: [Checkpoint.ID]) async throws
        -> TallyBasis
    {
        let basis = try await store.tallyBasis(in: operationID)
        return checkpoints.compactMap { basis[$0] }.reduce(TallyBasis(), +)
    }
}

extension Components.Schemas.TallyBasis {
    init(_ basis: TallyBasis) {
        self.init(
            received: basis.received, effective: basis.effective, superseded: basis.superseded,
            illustrative: basis.illustrative, lastReceivedAt: basis.lastReceivedAt)
    }
}

extension Components.Schemas.FlowSeries {
    init(_ series: FlowSeries) {
        self.init(
            corridorId: series.corridorID?.description, checkpointId: series.checkpointID?.description,
            group: series.group.map { .init(rawValue: $0.rawValue)! },
            direction: series.direction.map { .init(rawValue: $0.rawValue)! }, before: series.before,
            total: series.total,
            points: series.points.map {
                .init(start: $0.bucket.start, end: $0.bucket.end, people: $0.people, cumulative: $0.cumulative)
            })
    }
}

extension Components.Schemas.SectorProgress {
    init(_ progress: SectorProgress, name: String) {
        self.init(
            sectorId: progress.sectorID.description, name: name,
            population: progress.population.map {
                .init(
                    value: $0.value, low: $0.low, high: $0.high, asOf: $0.asOf.description, source: .init($0.source))
            },
            corridorIds: progress.corridorIDs.map(\.description), outflowFrom: progress.outflowSpan.from?.start,
            outflowUntil: progress.outflowSpan.until.start, outbound: progress.outbound, inbound: progress.inbound,
            netOutflow: progress.netOutflow,
            remaining: progress.remaining.map { .init(value: $0.value, low: $0.low, high: $0.high) },
            estimateExceeded: progress.estimateExceeded, ratePerHour: progress.ratePerHour,
            hoursToEvacuate: progress.hoursToEvacuate.map { .init(value: $0.value, low: $0.low, high: $0.high) },
            projectedCompletion: progress.projectedCompletion,
            pause: progress.pause.map(Components.Schemas.PauseOutlook.init))
    }
}

extension Components.Schemas.PauseOutlook {
    init(_ outlook: PauseOutlook) {
        self.init(
            pauseId: outlook.pauseID.description, hoursLeft: outlook.hoursLeft, windowsLeft: outlook.windowsLeft,
            atCurrentRate: .init(outlook.atCurrentRate), completionWithinWindows: outlook.completionWithinWindows,
            atCapacity: outlook.atCapacity.map(Components.Schemas.EvacuationCapacity.init))
    }
}

extension Components.Schemas.EvacuationCapacity {
    init(_ capacity: PauseOutlook.Capacity) {
        self.init(
            peoplePerHour: capacity.peoplePerHour, people: capacity.people,
            suffices: capacity.suffices.map { .init(value: $0.value, low: $0.low, high: $0.high) },
            corridorsWithoutCapacity: capacity.corridorsWithoutCapacity)
    }
}
