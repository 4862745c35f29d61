import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func getFlow(_ input: Operations.GetFlow.Input) async throws -> Operations.GetFlow.Output {
        let query = input.query
        let request = FlowRequest(
            bucket: FlowBucket(rawValue: query.bucket?.rawValue ?? FlowBucket.hour.rawValue)!, from: query.from,
            until: query.until, groupBy: Set((query.groupBy ?? []).map { FlowDimension(rawValue: $0.rawValue)! }),
            corridorID: try queryID(query.corridorId, name: "corridorId"),
            checkpointID: try queryID(query.checkpointId, name: "checkpointId"),
            group: query.group.map { Group(rawValue: $0.rawValue)! },
            direction: query.direction.map { Direction(rawValue: $0.rawValue)! })
        let flow = try await core.flow(in: try pathID(input.path.operationId, "operation"), request, as: principal)
        let report = flow.report
        return .ok(
            .init(
                body: .json(
                    .init(
                        operationId: flow.operation.id.description,
                        bucket: .init(rawValue: flow.query.bucket.rawValue)!,
                        timeZone: flow.operation.timeZoneIdentifier, from: flow.quarters.lowerBound.start,
                        until: flow.quarters.upperBound.start,
                        groupBy: FlowDimension.allCases.filter(flow.query.groupBy.contains).map {
                            .init(rawValue: $0.rawValue)!
                        },
                        checkpointIds: report.checkpointIDs.map(\.description),
                        series: report.series.map(Components.Schemas.FlowSeries.init),
                        basis: .init(flow.basis),
                        source: .init(flow.basis.source(checkpoints: report.checkpointIDs.count))))))
    }

    func getProgress(_ input: Operations.GetProgress.Input) async throws -> Operations.GetProgress.Output {
        let query = input.query
        let minutes = query.windowMinutes ?? 60
        guard minutes % 15 == 0 else {
            throw DomainError.invalid([FieldIssue("windowMinutes", "must be whole quarter-hours (15, 30, 45, …)")])
        }
        let figures = try await core.progress(
            in: try pathID(input.path.operationId, "operation"),
            ProgressQuery(at: query.at ?? core.now(), windowQuarters: minutes / 15),
            sectorID: try queryID(query.sectorId, name: "sectorId"), as: principal)
        return .ok(
            .init(
                body: .json(
                    .init(
                        operationId: figures.operation.id.description, at: figures.query.at,
                        countedThrough: figures.query.countedThrough.start, windowMinutes: minutes,
                        sectors: figures.sectors.map { .init($0.progress, name: $0.name) },
                        basis: .init(figures.basis),
                        source: .init(figures.basis.source(checkpoints: figures.countedCheckpoints))))))
    }
}

extension APIHandler {
    func getProtection(_ input: Operations.GetProtection.Input) async throws -> Operations.GetProtection.Output {
        let query = input.query
        let figures = try await core.protection(
            in: try pathID(input.path.operationId, "operation"),
            from: try query.from.map { try localDate($0, at: "from") }, until: query.until ?? core.now(),
            as: principal)
        return .ok(
            .init(
                body: .json(
                    .init(
                        operationId: figures.operation.id.description, timeZone: figures.operation.timeZoneIdentifier,
                        until: figures.countedThrough,
                        days: figures.days.map { day in
                            .init(
                                date: day.date.description,
                                corridors: day.lines.map(Components.Schemas.ProtectionLine.init))
                        },
                        basis: .init(figures.basis),
                        source: .init(figures.basis.source(checkpoints: figures.countedCheckpoints))))))
    }
}

extension Components.Schemas.ProtectionLine {
    init(_ line: ProtectionFigures.Line) {
        let measure = { (measure: ProtectionMeasure) in line.measures[measure] ?? 0 }
        self.init(
            corridorId: line.corridor.id.description, people: line.people, sickAndWounded: line.sickAndWounded,
            female: .init(
                children: measure(.femaleChildren), adults: measure(.femaleAdults), elderly: measure(.femaleElderly)),
            male: .init(children: measure(.maleChildren), adults: measure(.maleAdults), elderly: measure(.maleElderly)),
            withoutBreakdown: measure(.withoutBreakdown), unaccompaniedChildren: measure(.unaccompaniedChildren),
            vehicles: .init(cars: measure(.cars), buses: measure(.buses), ambulances: measure(.ambulances)))
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
