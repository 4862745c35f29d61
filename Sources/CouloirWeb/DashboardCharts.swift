import CouloirCore
import CouloirDomain
import Foundation

/// The dashboard's charts, from the flow rollups as the API's flow report gives them:
/// people leaving per hour stacked by group (all corridors or one), cumulative people
/// out per corridor, and each sector's people remaining with the estimate's range. The
/// span is the pause the instant falls in (or the last before it), its windows shaded;
/// figures stop at the hour the instant falls in, as the dashboard shows that moment.
extension WebFace {
    /// The charts over `span` (from `chartSpan`), its pause's `windows` shaded.
    func charts(
        _ operation: EvacuationOperation, at instant: Date, corridor: Corridor.ID?,
        span: ClosedRange<Date>, windows: [ClosedRange<Date>], sectors: [Sector], corridors: [Corridor], visit: Visit,
        formats: Formats
    ) async throws -> [[String: Any]]? {
        let clock = ZonedClock(operation.timeZone)
        let chartEnd = min(span.upperBound, Self.hourStart(of: instant, clock: clock))
        let rightToLeft = visit.language.direction == "rtl"
        let ticks = Self.ticks(span, clock: clock, formats: formats)
        func content(_ id: String, _ title: String, _ description: String) -> ChartContent {
            ChartContent(
                id: id, title: title, description: description, span: span, ticks: ticks, windows: windows,
                marker: instant, number: formats.number, rightToLeft: rightToLeft)
        }
        func flow(
            _ groupBy: Set<FlowDimension>, from: Date, until: Date? = nil, corridor: Corridor.ID? = nil,
            direction: Direction?
        ) async throws -> FlowReport? {
            let until = until ?? chartEnd
            guard from < until else { return nil }
            let request = FlowRequest(
                bucket: .hour, from: from, until: until, groupBy: groupBy, corridorID: corridor, checkpointID: nil,
                group: nil, direction: direction)
            return try await core.flow(in: operation.id, request, as: visit.principal).report
        }
        let shown = [
            "from": formats.instant(span.lowerBound), "until": formats.instant(min(chartEnd, span.upperBound)),
        ]
        var charts: [[String: Any]] = []
        do {
            // People leaving per hour, stacked by group.
            let chosen = corridors.first { $0.id == corridor }
            var perHour = content(
                "chart-flow",
                visit.text("chart.flow_title", ["corridor": chosen?.code ?? visit.text("chart.all_corridors")]),
                visit.text("chart.flow_description", shown))
            let byGroup = try await flow([.group], from: span.lowerBound, corridor: chosen?.id, direction: .outbound)
            for series in byGroup?.series ?? [] {
                guard let group = series.group, let style = Group.allCases.firstIndex(of: group) else { continue }
                perHour.stacks.append(
                    .init(style: style, values: series.points.map { ($0.bucket.start...$0.bucket.end, $0.people) }))
            }
            charts.append(
                chart(
                    perHour,
                    legend: Group.allCases.enumerated().filter { index, _ in
                        perHour.stacks.contains { $0.style == index }
                    }.map { ($0, visit.label("group", $1)) }))

            // Cumulative people out, a line a corridor.
            var cumulative = content(
                "chart-cumulative", visit.text("chart.cumulative_title"),
                visit.text("chart.cumulative_description", shown))
            let byCorridor = try await flow([.corridor], from: span.lowerBound, direction: .outbound)
            var legend: [(Int, String)] = []
            for series in byCorridor?.series ?? [] {
                guard let index = corridors.firstIndex(where: { $0.id == series.corridorID }) else { continue }
                cumulative.lines.append(
                    .init(
                        style: index,
                        points: [(span.lowerBound, Double(series.before))]
                            + series.points.map { ($0.bucket.end, Double($0.cumulative)) }))
                let total = series.points.last?.cumulative ?? series.before
                legend.append(
                    (
                        index,
                        visit.text("chart.corridor_total", ["code": corridors[index].code, "n": formats.number(total)])
                    )
                )
            }
            charts.append(chart(cumulative, legend: legend))

            // People remaining in each sector, between the estimate's bounds.
            var remaining = content(
                "chart-remaining", visit.text("chart.remaining_title"),
                visit.text("chart.remaining_description", shown))
            // Each estimated sector, and the start of the day it was estimated on.
            let estimated = sectors.compactMap { sector in
                sector.population.map { (sector, clock.instant(on: $0.asOf, at: LocalTime(hour: 0)!)) }
            }
            // The outflow over the span, and, for an estimate made before the span, what
            // had left between the estimate and the span: read at the estimate's own hour,
            // never as a report spanning the months between.
            let net = try await flow([.corridor, .direction], from: span.lowerBound, direction: nil)
            var baselines: [Date: FlowReport] = [:]
            for start in Set(estimated.map(\.1)) where start < span.lowerBound {
                let hour = Self.hourStart(of: start, clock: clock)
                baselines[start] = try await flow(
                    [.corridor, .direction], from: hour, until: hour.addingTimeInterval(3600), direction: nil)
            }
            legend = []
            for (index, (sector, start)) in estimated.enumerated() {
                guard let net,
                    let points = Self.remaining(
                        sector, starting: start, from: span.lowerBound, in: net, baseline: baselines[start],
                        corridors: corridors)
                else { continue }
                remaining.bands.append(.init(style: index, points: points))
                legend.append((index, sector.name))
            }
            charts.append(chart(remaining, legend: legend))
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return nil
        }
        return charts
    }

    private func chart(_ content: ChartContent, legend: [(Int, String)]) -> [String: Any] {
        [
            "svg": ChartDrawing.svg(content), "title": content.title,
            "legend": legend.map { ["style": ChartDrawing.seriesClass($0.0), "label": $0.1] as [String: Any] },
        ]
    }

    /// A sector's people remaining at the start of the span and at each hour's end:
    /// its estimate less the net outflow through the corridors out of it since the day
    /// it was estimated, never below none. `baseline`, a report from the hour of an
    /// estimate made before `report` begins, says what had left by then.
    static func remaining(
        _ sector: Sector, starting start: Date, from: Date, in report: FlowReport, baseline: FlowReport? = nil,
        corridors: [Corridor]
    ) -> [(at: Date, low: Double, value: Double, high: Double)]? {
        guard let estimate = sector.population else { return nil }
        let leading = Set(corridors.filter { $0.originSectorID == sector.id }.map(\.id))
        func lines(of report: FlowReport) -> [FlowSeries] {
            report.series.filter { $0.corridorID.map(leading.contains) ?? false }
        }
        guard !lines(of: report).isEmpty else { return nil }
        func net(at instant: Date, in report: FlowReport) -> Int {
            lines(of: report).reduce(0) { sum, series in
                let counted = series.points.last { $0.bucket.end <= instant }?.cumulative ?? series.before
                return sum + (series.direction == .inbound ? -counted : counted)
            }
        }
        func net(at instant: Date) -> Int { net(at: instant, in: report) }
        let before = net(at: start, in: baseline ?? report)
        let instants = [from] + report.buckets.map(\.end).filter { $0 > from }
        return instants.map { instant in
            let out = Double(net(at: instant) - before)
            return (
                instant, max(0, Double(estimate.low) - out), max(0, Double(estimate.value) - out),
                max(0, Double(estimate.high) - out)
            )
        }
    }

    /// The longest span the charts draw: two weeks of hours, the most a report of hours
    /// holds with room to spare.
    static var longestSpan: TimeInterval { 14 * 86_400 }

    /// The span the charts cover: the pause whose windows hold `instant`, else the last
    /// that began before it, else the day before `instant`; and that pause's windows.
    /// A pause whose windows spread over more than `longestSpan` is shown over the two
    /// weeks around the window that holds `instant` (or the last before it): the figures
    /// cover the period shown, never the months between its first and last windows.
    static func chartSpan(_ pauses: [Pause], at instant: Date, clock: ZonedClock) -> (
        ClosedRange<Date>, [ClosedRange<Date>]
    ) {
        let spans = pauses.compactMap { pause -> (Pause, Interval)? in
            let occurrences = pause.occurrences(in: clock)
            guard let first = occurrences.first, let last = occurrences.last else { return nil }
            return (pause, Interval(start: first.start, end: last.end))
        }
        let chosen =
            spans.first { $0.1.start <= instant && instant < $0.1.end }
            ?? spans.filter { $0.1.start <= instant }.max { $0.1.start < $1.1.start }
        guard let (pause, whole) = chosen else {
            let end = hourStart(of: instant, clock: clock).addingTimeInterval(3600)
            return (end.addingTimeInterval(-86_400)...end, [])
        }
        let occurrences = pause.occurrences(in: clock)
        var span = whole
        if whole.duration > longestSpan {
            let focus =
                occurrences.first { $0.start <= instant && instant < $0.end }
                ?? occurrences.last { $0.start <= instant } ?? occurrences[0]
            let start = max(whole.start, focus.start.addingTimeInterval(-longestSpan / 2))
            span = Interval(start: start, end: min(whole.end, start.addingTimeInterval(longestSpan)))
        }
        var end = hourStart(of: span.end, clock: clock)
        if end < span.end { end = end.addingTimeInterval(3600) }
        let lower = hourStart(of: span.start, clock: clock)
        return (
            lower...end,
            occurrences.filter { $0.end > lower && $0.start < end }.map { max($0.start, lower)...min($0.end, end) }
        )
    }

    /// The start of the wall-clock hour `instant` falls in.
    static func hourStart(of instant: Date, clock: ZonedClock) -> Date {
        var quarter = QuarterHour(containing: instant)
        while !clock.startsHour(quarter) { quarter = quarter.advanced(by: -1) }
        return quarter.start
    }

    /// Each midnight of the span, labelled by its day; over a short span, every six
    /// hours, labelled by the hour.
    static func ticks(_ span: ClosedRange<Date>, clock: ZonedClock, formats: Formats) -> [(at: Date, label: String)] {
        let short = span.upperBound.timeIntervalSince(span.lowerBound) < 36 * 3600
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = formats.timeZone
        var ticks: [(at: Date, label: String)] = []
        var hour = span.lowerBound
        while hour <= span.upperBound {
            let local = calendar.component(.hour, from: hour)
            if local == 0 {
                ticks.append((hour, formats.day(hour)))
            } else if short, local % 6 == 0 {
                ticks.append((hour, formats.hour(hour)))
            }
            hour = hour.addingTimeInterval(3600)
        }
        return ticks
    }
}
