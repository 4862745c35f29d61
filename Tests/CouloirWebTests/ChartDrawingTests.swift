import Foundation
import Testing

@testable import CouloirWeb

/// Charts drawn on known flows: where each bar of a stack lands, the same chart read
/// right to left, lines and ranges, and the value axis's round steps.
@Suite("The dashboard's charts")
struct ChartDrawingTests {
    static let start = Date(timeIntervalSince1970: 1_476_946_800)
    static func hour(_ n: Double) -> Date { start.addingTimeInterval(n * 3600) }

    static func chart(rightToLeft: Bool = false) -> ChartContent {
        var chart = ChartContent(
            id: "chart-test", title: "Flow", description: "People per hour", span: hour(0)...hour(4),
            ticks: [(hour(2), "02:00")], windows: [hour(0)...hour(1)], marker: hour(3), number: { "\($0)" },
            rightToLeft: rightToLeft)
        chart.stacks = [
            .init(style: 0, values: [(hour(0)...hour(1), 10), (hour(1)...hour(2), 0), (hour(2)...hour(3), 20)]),
            .init(style: 1, values: [(hour(0)...hour(1), 5)]),
        ]
        return chart
    }

    @Test func aStackOfKnownFlowsRendersTheExpectedBars() {
        let svg = ChartDrawing.svg(Self.chart())
        // 576 units for 4 hours from x = 52; 182 units for 0 to 20 people from y = 192.
        #expect(svg.contains(#"<path class="bar series-0" d="M52.5,192V101H195.5V192ZM340.5,192V10H483.5V192Z"/>"#))
        #expect(svg.contains(#"<path class="bar series-1" d="M52.5,101V55.5H195.5V101Z"/>"#), "stacked on the first")
        #expect(svg.contains(#"<rect class="window-band" x="52" y="10" width="144" height="182"/>"#))
        #expect(svg.contains(#"<path class="marker" d="M484,10v182"/>"#))
        #expect(svg.contains(#"<text class="tick" x="340" y="212" text-anchor="middle">02:00</text>"#))
        for (value, y) in [(0, "196"), (5, "150.5"), (10, "105"), (15, "59.5"), (20, "14")] {
            #expect(svg.contains(#"x="48" y="\#(y)" text-anchor="end">\#(value)</text>"#))
        }
        #expect(svg.contains(#"aria-labelledby="chart-test-title chart-test-desc""#))
    }

    @Test func readRightToLeftTimeRunsLeftwardsAndTheAxisStandsRight() {
        let svg = ChartDrawing.svg(Self.chart(rightToLeft: true))
        #expect(svg.contains(#"<path class="bar series-0" d="M444.5,192V101H587.5V192Z"#))
        #expect(svg.contains(#"<text class="tick" x="592" y="196" text-anchor="start">0</text>"#))
    }

    @Test func linesAndRangesFollowTheirPoints() {
        var chart = Self.chart()
        chart.stacks = []
        chart.lines = [.init(style: 2, points: [(Self.hour(0), 0), (Self.hour(4), 100)])]
        chart.bands = [.init(style: 3, points: [(Self.hour(0), 40, 50, 60), (Self.hour(4), 20, 30, 40)])]
        let svg = ChartDrawing.svg(chart)
        #expect(svg.contains(#"<path class="line series-2" d="M52,192L628,10" fill="none"/>"#))
        #expect(svg.contains(#"<path class="range series-3" d="M52,82.8L628,119.2L628,155.6L52,119.2Z"/>"#))
    }

    @Test(arguments: [(0.3, 1.0), (5, 5), (7, 10), (75, 100), (1234, 2000), (25_000, 50_000)])
    func theValueAxisStepsRoundly(rough: Double, step: Double) {
        #expect(ChartDrawing.niceStep(rough) == step)
    }
}
