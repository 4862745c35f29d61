public import Foundation

/// The quarter-hours a figure adds up: [from, until), from the beginning when `from` is nil.
public struct FlowSpan: Hashable, Sendable {
    public var from: QuarterHour?
    public var until: QuarterHour

    public init(from: QuarterHour?, until: QuarterHour) {
        self.from = from
        self.until = until
    }
}

/// A best value within a range, as population estimates give them.
public struct Ranged<Value: Hashable & Sendable>: Hashable, Sendable {
    public var value: Value
    public var low: Value
    public var high: Value

    public init(value: Value, low: Value, high: Value) {
        self.value = value
        self.low = low
        self.high = high
    }

    public func map<T>(_ transform: (Value) -> T) -> Ranged<T> {
        Ranged<T>(value: transform(value), low: transform(low), high: transform(high))
    }
}

/// What an evacuation-progress report asks for.
public struct ProgressQuery: Hashable, Sendable {
    /// The longest window a rate may be taken over: a day.
    public static let maximumWindow = 96

    public var at: Date
    /// How many quarter-hours, ending where counting stands, the rate is taken over.
    public var windowQuarters: Int

    public init(at: Date, windowQuarters: Int = 4) {
        self.at = at
        self.windowQuarters = windowQuarters
    }

    /// Counting stands at the start of the quarter-hour `at` falls in: figures add up the
    /// quarter-hours that ended by then, never a quarter still under way.
    public var countedThrough: QuarterHour { QuarterHour(containing: at) }

    public var window: FlowSpan {
        FlowSpan(from: countedThrough.advanced(by: Int64(-windowQuarters)), until: countedThrough)
    }

    /// Outflow is counted from the start of the day the sector's population was estimated:
    /// who left before then is already missing from the estimate.
    public func outflowSpan(of sector: Sector, in clock: ZonedClock) -> FlowSpan {
        guard let estimate = sector.population else { return FlowSpan(from: nil, until: countedThrough) }
        let dayStart = clock.instant(on: estimate.asOf, at: LocalTime(hour: 0)!)
        return FlowSpan(from: min(QuarterHour(containing: dayStart), countedThrough), until: countedThrough)
    }

    /// Every span whose totals a report on `sectors` needs.
    public func spans(for sectors: [Sector], in clock: ZonedClock) -> Set<FlowSpan> {
        Set(sectors.map { outflowSpan(of: $0, in: clock) }).union([window])
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.check(
            (1...Self.maximumWindow).contains(windowQuarters), "windowMinutes",
            "must be 15 to \(Self.maximumWindow * 15) minutes, in quarter-hours")
        try validator.finish()
    }
}

/// How far the evacuation of one sector has gone, and whether the pause leaves time enough.
public struct SectorProgress: Hashable, Sendable {
    public var sectorID: Sector.ID
    public var population: PopulationEstimate?
    /// The corridors leading out of the sector; each counts at its first checkpoint.
    public var corridorIDs: [Corridor.ID]
    /// Residents who crossed out and back in over the outflow span. Humanitarian staff are
    /// not residents and are left out.
    public var outflowSpan: FlowSpan
    public var outbound: Int
    public var inbound: Int
    /// People still in the sector: the estimate less the net outflow, never below zero.
    public var remaining: Ranged<Int>?
    /// More people left than even the estimate's high bound: the estimate is out of date.
    public var estimateExceeded: Bool
    /// Net outflow per hour over the query's window.
    public var ratePerHour: Double
    /// Hours left at that rate; nil when nobody is leaving.
    public var hoursToEvacuate: Ranged<Double>?
    /// When the value estimate would be out at that rate, were people to cross around
    /// the clock; see the pause's outlook for window time only.
    public var projectedCompletion: Date?
    /// The pause in force for the sector, if one is active.
    public var pause: PauseOutlook?

    public var netOutflow: Int { outbound - inbound }
}

/// Whether the windows left in an active pause suffice to bring everyone out; for a
/// suspended pause, whether they would if it resumed.
public struct PauseOutlook: Hashable, Sendable {
    public var pauseID: Pause.ID
    /// The pause is suspended: its windows left count only if it resumes.
    public var isSuspended: Bool = false
    /// Window time left from the moment counting stands at, in hours.
    public var hoursLeft: Double
    /// Window spans not yet over, the running one included.
    public var windowsLeft: Int
    public var atCurrentRate: Capacity
    /// When the value estimate would be out at the current rate, crossing in the pause's
    /// windows only; nil when the windows left do not suffice or nobody is leaving.
    public var completionWithinWindows: Date?
    /// At the stated capacities of the pause's corridors out of the sector; nil when none
    /// states a capacity.
    public var atCapacity: Capacity?

    public struct Capacity: Hashable, Sendable {
        public var peoplePerHour: Double
        /// Who could leave in the hours left.
        public var people: Int
        /// Whether that covers the people remaining, at each bound of the estimate; nil
        /// without an estimate.
        public var suffices: Ranged<Bool>?
        /// Corridors counted in `peoplePerHour` that state no capacity (0 for the rate).
        public var corridorsWithoutCapacity: Int
    }
}

public enum EvacuationProgress {
    /// The progress of each sector, from the flow totals of the query's spans.
    ///
    /// - Parameter totals: people by line over each span of `query.spans(for:in:)`.
    public static func report(
        _ query: ProgressQuery, sectors: [Sector], corridors: [Corridor], pauses: [Pause], clock: ZonedClock,
        totals: [FlowSpan: [FlowLine: Int]]
    ) -> [SectorProgress] {
        sectors.map { sector in
            let leading = corridors.filter { $0.originSectorID == sector.id }
            let counted = Set(leading.compactMap(\.checkpoints.first?.id))
            let span = query.outflowSpan(of: sector, in: clock)
            let (outbound, inbound) = residents(through: counted, in: totals[span] ?? [:])
            let (windowOut, windowIn) = residents(through: counted, in: totals[query.window] ?? [:])
            let rate = Double(windowOut - windowIn) / (Double(query.windowQuarters) / 4)
            let net = outbound - inbound
            let remaining = sector.population.map { estimate in
                Ranged(value: estimate.value, low: estimate.low, high: estimate.high).map { max(0, $0 - net) }
            }
            let hours = remaining.flatMap { remaining in rate > 0 ? remaining.map { Double($0) / rate } : nil }
            let start = query.countedThrough.start
            return SectorProgress(
                sectorID: sector.id, population: sector.population, corridorIDs: leading.map(\.id),
                outflowSpan: span, outbound: outbound, inbound: inbound, remaining: remaining,
                estimateExceeded: sector.population.map { net > $0.high } ?? false, ratePerHour: rate,
                hoursToEvacuate: hours, projectedCompletion: hours.map { start.addingTimeInterval($0.value * 3600) },
                pause: outlook(
                    for: sector, leading: leading, pauses: pauses, at: query.at, clock: clock, rate: rate,
                    remaining: remaining))
        }
    }

    /// Residents counted outbound and inbound at `checkpoints`.
    static func residents(through checkpoints: Set<Checkpoint.ID>, in lines: [FlowLine: Int]) -> (Int, Int) {
        var outbound = 0
        var inbound = 0
        for (line, people) in lines where checkpoints.contains(line.checkpointID) && line.group.isResident {
            switch line.direction {
            case .outbound: outbound += people
            case .inbound: inbound += people
            }
        }
        return (outbound, inbound)
    }

    static func outlook(
        for sector: Sector, leading: [Corridor], pauses: [Pause], at start: Date, clock: ZonedClock, rate: Double,
        remaining: Ranged<Int>?
    ) -> PauseOutlook? {
        let leadingIDs = Set(leading.map(\.id))
        func covers(_ pause: Pause) -> Bool {
            pause.sectorIDs.contains(sector.id) || pause.corridorIDs.contains(where: leadingIDs.contains)
        }
        // An active pause; else a suspended one, which may resume.
        guard
            let pause = pauses.first(where: { $0.state(at: start) == .active && covers($0) })
                ?? pauses.first(where: { $0.state(at: start) == .suspended && covers($0) })
        else { return nil }
        let spans = pause.occurrences(in: clock).filter { $0.end > start }
        let hoursLeft = spans.reduce(0) { $0 + $1.end.timeIntervalSince(max($1.start, start)) } / 3600
        func capacity(_ peoplePerHour: Double, without: Int) -> PauseOutlook.Capacity {
            let people = Int((max(0, peoplePerHour) * hoursLeft).rounded(.down))
            return PauseOutlook.Capacity(
                peoplePerHour: peoplePerHour, people: people, suffices: remaining.map { $0.map { people >= $0 } },
                corridorsWithoutCapacity: without)
        }
        var completion: Date?
        if let hours = remaining.map({ Double($0.value) / rate }), rate > 0 {
            var left = hours * 3600
            for span in spans {
                let open = span.end.timeIntervalSince(max(span.start, start))
                if left <= open {
                    completion = max(span.start, start).addingTimeInterval(left)
                    break
                }
                left -= open
            }
        }
        let inPause = leading.filter { pause.corridorIDs.contains($0.id) }
        let stated = inPause.compactMap(\.capacityPerHour)
        return PauseOutlook(
            pauseID: pause.id, isSuspended: pause.state(at: start) == .suspended, hoursLeft: hoursLeft,
            windowsLeft: spans.count,
            atCurrentRate: capacity(rate, without: 0), completionWithinWindows: completion,
            atCapacity: stated.isEmpty
                ? nil : capacity(Double(stated.reduce(0, +)), without: inPause.count - stated.count))
    }
}
