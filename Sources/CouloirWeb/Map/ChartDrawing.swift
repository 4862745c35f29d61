import Foundation

/// What a chart shows over time, already in the page's words: stacked bars (people per
/// hour by group), lines (cumulative people out) and ranges (people remaining between
/// the estimate's bounds), with the pause's windows as bands behind them.
struct ChartContent {
    struct Stack {
        /// The series' style, `series-N` of the stylesheet.
        var style: Int
        var values: [(bucket: ClosedRange<Date>, people: Int)]
    }

    struct Line {
        var style: Int
        var points: [(at: Date, value: Double)]
    }

    struct Band {
        var style: Int
        var points: [(at: Date, low: Double, value: Double, high: Double)]
    }

    var id: String
    var title: String
    var description: String
    var span: ClosedRange<Date>
    var ticks: [(at: Date, label: String)]
    var windows: [ClosedRange<Date>] = []
    /// The instant the dashboard shows, marked by a vertical line.
    var marker: Date?
    var stacks: [Stack] = []
    var lines: [Line] = []
    var bands: [Band] = []
    var number: (Int) -> String
    /// Time runs right to left, and the value axis stands on the right.
    var rightToLeft = false
}

/// A chart as SVG, drawn by the server: classes of the page's stylesheet and
/// presentation attributes only, so the page's policy allows it.
enum ChartDrawing {
    static let width = 640.0
    static let height = 220.0
    static let top = 10.0
    static let bottom = 28.0
    /// Room for the value axis's labels.
    static let axis = 52.0
    static let edge = 12.0

    static func svg(_ chart: ChartContent) -> String {
        let left = chart.rightToLeft ? edge : axis
        let plotWidth = width - axis - edge
        let plotHeight = height - top - bottom
        let length = max(chart.span.upperBound.timeIntervalSince(chart.span.lowerBound), 1)
        func x(_ date: Date) -> Double {
            let share = min(max(date.timeIntervalSince(chart.span.lowerBound) / length, 0), 1)
            return left + (chart.rightToLeft ? 1 - share : share) * plotWidth
        }
        let most = max(
            stackedMaximum(chart.stacks), chart.lines.flatMap { $0.points.map(\.value) }.max() ?? 0,
            chart.bands.flatMap { $0.points.map(\.high) }.max() ?? 0)
        let step = niceStep(most / 4)
        let ceiling = max(step, (most / step).rounded(.up) * step)
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / ceiling) }
        let n = MapDrawing.number
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(n(width)) \(n(height))" \
            direction="ltr" role="img" aria-labelledby="\(chart.id)-title \(chart.id)-desc">\
            <title id="\(chart.id)-title">\(MapDrawing.escape(chart.title))</title>\
            <desc id="\(chart.id)-desc">\(MapDrawing.escape(chart.description))</desc>
            """
        for window in chart.windows {
            let (a, b) = (x(window.lowerBound), x(window.upperBound))
            svg += "<rect class=\"window-band\" x=\"\(n(min(a, b)))\" y=\"\(n(top))\" width=\"\(n(abs(b - a)))\" "
            svg += "height=\"\(n(plotHeight))\"/>"
        }
        // The value axis: gridlines at each step, labelled on the axis's side.
        let labelX = chart.rightToLeft ? left + plotWidth + 4 : left - 4
        let anchor = chart.rightToLeft ? "start" : "end"
        for value in stride(from: 0, through: ceiling, by: step) {
            svg += "<path class=\"grid\" d=\"M\(n(left)),\(n(y(value)))h\(n(plotWidth))\"/>"
            svg += "<text class=\"tick\" x=\"\(n(labelX))\" y=\"\(n(y(value) + 4))\" text-anchor=\"\(anchor)\">"
            svg += MapDrawing.escape(chart.number(Int(value))) + "</text>"
        }
        for tick in chart.ticks where chart.span.contains(tick.at) {
            let at = x(tick.at)
            svg += "<path class=\"axis\" d=\"M\(n(at)),\(n(top + plotHeight))v5\"/>"
            svg += "<text class=\"tick\" x=\"\(n(at))\" y=\"\(n(height - 8))\" text-anchor=\"middle\">"
            svg += MapDrawing.escape(tick.label) + "</text>"
        }
        // Stacked bars: each series one path of rectangles, on top of the series before it.
        var base: [Date: Int] = [:]
        for stack in chart.stacks {
            var path = ""
            for (bucket, people) in stack.values where people > 0 {
                let below = base[bucket.lowerBound, default: 0]
                base[bucket.lowerBound] = below + people
                let (a, b) = (x(bucket.lowerBound), x(bucket.upperBound))
                path += "M\(n(min(a, b) + 0.5)),\(n(y(Double(below))))V\(n(y(Double(below + people))))"
                path += "H\(n(max(a, b) - 0.5))V\(n(y(Double(below))))Z"
            }
            if !path.isEmpty { svg += "<path class=\"bar \(seriesClass(stack.style))\" d=\"\(path)\"/>" }
        }
        for band in chart.bands where !band.points.isEmpty {
            let upper = band.points.map { (x($0.at), y($0.high)) }
            let lower = band.points.reversed().map { (x($0.at), y($0.low)) }
            svg += "<path class=\"range \(seriesClass(band.style))\" d=\"M\(polyline(upper + lower))Z\"/>"
            let middle = polyline(band.points.map { (x($0.at), y($0.value)) })
            svg += "<path class=\"line \(seriesClass(band.style))\" d=\"M\(middle)\" fill=\"none\"/>"
        }
        for line in chart.lines where !line.points.isEmpty {
            let path = polyline(line.points.map { (x($0.at), y($0.value)) })
            svg += "<path class=\"line \(seriesClass(line.style))\" d=\"M\(path)\" fill=\"none\"/>"
        }
        if let marker = chart.marker, chart.span.contains(marker) {
            svg += "<path class=\"marker\" d=\"M\(n(x(marker))),\(n(top))v\(n(plotHeight))\"/>"
        }
        svg += "<path class=\"axis\" d=\"M\(n(left)),\(n(top + plotHeight))h\(n(plotWidth))\"/>"
        return svg + "</svg>"
    }

    /// The points joined by straight segments, as drawn (to a tenth of a unit), leaving
    /// out each point that lies on the segment between its neighbours: a count that
    /// stays flat for hours is one segment, and the page stays light.
    static func polyline(_ points: [(x: Double, y: Double)]) -> String {
        let rounded = points.map { (x: ($0.x * 10).rounded() / 10, y: ($0.y * 10).rounded() / 10) }
        var kept: [(x: Double, y: Double)] = []
        for point in rounded {
            if let last = kept.last, last == point { continue }
            if kept.count >= 2 {
                let (a, b) = (kept[kept.count - 2], kept[kept.count - 1])
                let cross = (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)
                // On the line through a and b, and beyond b from a: b adds nothing.
                let beyond = (b.x - a.x) * (point.x - b.x) + (b.y - a.y) * (point.y - b.y) > 0
                if abs(cross) < 1e-9, beyond { kept.removeLast() }
            }
            kept.append(point)
        }
        let n = MapDrawing.number
        return kept.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: "L")
    }

    /// The highest stack: the largest sum over series of one bucket's people.
    static func stackedMaximum(_ stacks: [ChartContent.Stack]) -> Double {
        var sums: [Date: Int] = [:]
        for stack in stacks {
            for (bucket, people) in stack.values { sums[bucket.lowerBound, default: 0] += people }
        }
        return Double(sums.values.max() ?? 0)
    }

    /// A round step (1, 2 or 5 times a power of ten) at least `rough`, and at least 1.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 1 else { return 1 }
        let power = pow(10, floor(log10(rough)))
        return [1, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
    }

    /// The classes of series `style`: one of seven colours (safe for colour-blind
    /// readers), dashed from the eighth on, so that no two series of a chart look alike
    /// up to fourteen.
    static func seriesClass(_ style: Int) -> String {
        "series-\(style % 7)" + (style % 14 >= 7 ? " series-dashed" : "")
    }
}
