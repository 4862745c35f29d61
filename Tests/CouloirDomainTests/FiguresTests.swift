import CouloirDemo
import CouloirDomain
import Foundation
import Testing

@Suite("Flows and evacuation progress")
struct FiguresTests {
    let fixture = Fixture()

    @Test func aTallySpreadsOverTheQuarterHoursItCoversInWholePeople() {
        // 10:10–11:10 covers 5, 15, 15, 15 and 10 minutes of five quarter-hours.
        let tally = fixture.tally(
            start: "2016-10-20T10:10:00Z", end: "2016-10-20T11:10:00Z",
            counts: [GroupCount(group: .civilians, people: 10)])
        let shares = tally.flow.sorted { $0.key.quarter < $1.key.quarter }.map(\.value)
        // Shares rounded down are 0, 2, 2, 2, 1; the three left go to the largest
        // remainders: 5/6 (first), 2/3 (last), then 1/2 (the earliest of three).
        #expect(shares == [1, 3, 2, 2, 2])
        #expect(tally.flow.keys.map(\.quarter.start).min() == instant("2016-10-20T10:00:00Z"))
    }

    @Test(arguments: 0..<200)
    func spreadSharesAlwaysAddUpToTheCounts(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let start = instant("2016-10-20T00:00:00Z").addingTimeInterval(
            Double(Int.random(in: 0...86_400_000, using: &random)) / 1000)
        let length = Double(Int.random(in: 1...86_400_000, using: &random)) / 1000
        let counts = Group.allCases.map { GroupCount(group: $0, people: Int.random(in: 0...1_000_000, using: &random)) }
        var tally = fixture.tally(counts: counts)
        tally.interval = Interval(start: start, end: start.addingTimeInterval(length))
        for count in counts {
            #expect(tally.flow.filter { $0.key.line.group == count.group }.values.reduce(0, +) == count.people)
        }
        #expect(tally.flow.keys.count <= 97 * counts.count)
    }

    @Test func hourBucketsFollowTheOperationsWallClockAndRunningTotalsStartBeforeTheReport() {
        // India is 5:30 ahead of UTC: its hours start at half past on UTC's clock.
        let clock = ZonedClock(TimeZone(identifier: "Asia/Kolkata")!)
        let query = FlowQuery(
            bucket: .hour, from: instant("2016-10-20T10:40:00+05:30"), until: instant("2016-10-20T12:10:00+05:30"),
            groupBy: [])
        let line = FlowLine(checkpointID: fixture.checkpoint.id, direction: .outbound, group: .civilians)
        let cells = [
            FlowKey(line: line, quarter: QuarterHour(containing: instant("2016-10-20T10:45:00+05:30"))): 4,
            FlowKey(line: line, quarter: QuarterHour(containing: instant("2016-10-20T11:00:00+05:30"))): 6,
            FlowKey(line: line, quarter: QuarterHour(containing: instant("2016-10-20T12:15:00+05:30"))): 1,
        ]
        let report = FlowReport(
            query: query, corridors: [fixture.corridor], clock: clock, cells: cells, before: [line: 100])
        #expect(
            report.buckets.map(\.start) == [
                instant("2016-10-20T10:00:00+05:30"), instant("2016-10-20T11:00:00+05:30"),
                instant("2016-10-20T12:00:00+05:30"),
            ])
        let series = try! #require(report.series.first)
        #expect(report.series.count == 1)
        #expect(series.points.map(\.people) == [4, 6, 1])
        #expect(series.points.map(\.cumulative) == [104, 110, 111])
        #expect(series.before == 100 && series.total == 111)
    }

    @Test func aCorridorCountsAtItsFirstCheckpointUnlessEachCheckpointIsAskedFor() {
        var corridor = fixture.corridor
        let further = Checkpoint(name: "Further on", location: Point(longitude: 37.12, latitude: 36.15))
        corridor.checkpoints.append(further)
        let quarter = QuarterHour(containing: instant("2016-10-20T08:00:00Z"))
        var cells: [FlowKey: Int] = [:]
        for checkpoint in corridor.checkpoints {
            let line = FlowLine(checkpointID: checkpoint.id, direction: .outbound, group: .civilians)
            cells[FlowKey(line: line, quarter: quarter)] = 50
        }
        let clock = ZonedClock(fixture.operation.timeZone)
        let byCorridor = FlowQuery(
            bucket: .quarterHour, from: quarter.start, until: quarter.end, groupBy: [.corridor, .direction])
        let corridorReport = FlowReport(
            query: byCorridor, corridors: [corridor], clock: clock, cells: cells, before: [:])
        #expect(corridorReport.checkpointIDs == [fixture.checkpoint.id])
        #expect(corridorReport.series.map(\.total) == [50, 0])
        #expect(corridorReport.series.map(\.direction) == [.outbound, .inbound])
        var byCheckpoint = byCorridor
        byCheckpoint.groupBy = [.checkpoint]
        let checkpointReport = FlowReport(
            query: byCheckpoint, corridors: [corridor], clock: clock, cells: cells, before: [:])
        #expect(checkpointReport.series.map(\.checkpointID) == [fixture.checkpoint.id, further.id])
        #expect(checkpointReport.series.map(\.total) == [50, 50])
        #expect(checkpointReport.series.allSatisfy { $0.corridorID == corridor.id })
    }

    @Test func aReportOfMoreBucketsThanAllowedIsRefusedNamingUntil() {
        let clock = ZonedClock(fixture.operation.timeZone)
        let start = instant("2016-10-01T00:00:00Z")
        let tooLong = FlowQuery(
            bucket: .quarterHour, from: start, until: start.addingTimeInterval(32 * 86_400), groupBy: [])
        #expect(issuePointers { try tooLong.validate(in: clock) } == ["until"])
        let inverted = FlowQuery(bucket: .hour, from: start, until: start, groupBy: [])
        #expect(issuePointers { try inverted.validate(in: clock) } == ["until"])
    }

    @Test func progressCarriesTheEstimatesRangeAndSaysWhetherTheWindowsLeftSuffice() throws {
        var sector = fixture.origin
        sector.population = PopulationEstimate(
            value: 1_000, low: 800, high: 1_200, asOf: LocalDate(year: 2016, month: 10, day: 20)!, source: testSource)
        var corridor = fixture.corridor
        corridor.capacityPerHour = 100
        // In force from 08:00 to 14:00 Damascus time (UTC+3); the report stands at 11:00.
        var pause = fixture.pause(windows: [
            .fixed(Interval(start: instant("2016-10-20T08:00:00+03:00"), end: instant("2016-10-20T14:00:00+03:00")))
        ])
        try pause.transition(
            to: .agreed, at: instant("2016-10-19T12:00:00+03:00"), actor: "UN", reason: "Agreed", source: testSource)
        try pause.transition(
            to: .active, at: instant("2016-10-20T08:00:00+03:00"), actor: "UN", reason: "In force",
            source: testSource)
        let clock = ZonedClock(fixture.operation.timeZone)
        let query = ProgressQuery(at: instant("2016-10-20T11:05:00+03:00"), windowQuarters: 4)
        #expect(query.countedThrough.start == instant("2016-10-20T11:00:00+03:00"))
        let out = FlowLine(checkpointID: fixture.checkpoint.id, direction: .outbound, group: .civilians)
        let back = FlowLine(checkpointID: fixture.checkpoint.id, direction: .inbound, group: .civilians)
        let staff = FlowLine(checkpointID: fixture.checkpoint.id, direction: .outbound, group: .humanitarianConvoy)
        let since = query.outflowSpan(of: sector, in: clock)
        #expect(since.from?.start == instant("2016-10-20T00:00:00+03:00"))
        #expect(query.spans(for: [sector], in: clock) == [since, query.window])
        let totals = [since: [out: 220, back: 20, staff: 30], query.window: [out: 200, staff: 30]]
        let progress = try #require(
            EvacuationProgress.report(
                query, sectors: [sector], corridors: [corridor], pauses: [pause], clock: clock, totals: totals
            ).first)
        #expect(progress.netOutflow == 200)
        #expect(progress.remaining == Ranged(value: 800, low: 600, high: 1_000))
        #expect(progress.ratePerHour == 200)
        #expect(progress.hoursToEvacuate == Ranged(value: 4, low: 3, high: 5))
        let outlook = try #require(progress.pause)
        #expect(outlook.hoursLeft.rounded() == 3)  // 11:05 to 14:00, less five minutes
        #expect(outlook.atCurrentRate.suffices == Ranged(value: false, low: false, high: false))
        #expect(outlook.completionWithinWindows == nil)
        #expect(outlook.atCapacity?.peoplePerHour == 100)
        #expect(outlook.atCapacity?.suffices?.value == false)

        // With a tenth of the people left, the windows suffice at the current rate.
        sector.population?.value = 300
        sector.population?.low = 250
        sector.population?.high = 450
        let smaller = try #require(
            EvacuationProgress.report(
                query, sectors: [sector], corridors: [corridor], pauses: [pause], clock: clock, totals: totals
            ).first)
        #expect(smaller.remaining == Ranged(value: 100, low: 50, high: 250))
        #expect(smaller.pause?.atCurrentRate.suffices == Ranged(value: true, low: true, high: true))
        #expect(smaller.pause?.completionWithinWindows == instant("2016-10-20T11:35:00+03:00"))
    }

    @Test func anOutflowBeyondTheHighEstimateSaysTheEstimateIsOutOfDate() {
        var sector = fixture.origin
        sector.population = PopulationEstimate(
            value: 100, low: 80, high: 120, asOf: LocalDate(year: 2016, month: 10, day: 20)!, source: testSource)
        let clock = ZonedClock(fixture.operation.timeZone)
        let query = ProgressQuery(at: instant("2016-10-20T12:00:00+03:00"))
        let out = FlowLine(checkpointID: fixture.checkpoint.id, direction: .outbound, group: .civilians)
        let progress = EvacuationProgress.report(
            query, sectors: [sector], corridors: [fixture.corridor], pauses: [], clock: clock,
            totals: [query.outflowSpan(of: sector, in: clock): [out: 150]])
        #expect(progress.first?.remaining == Ranged(value: 0, low: 0, high: 0))
        #expect(progress.first?.estimateExceeded == true)
        #expect(progress.first?.ratePerHour == 0)
        #expect(progress.first?.hoursToEvacuate == nil)
        #expect(progress.first?.pause == nil)
    }
}
