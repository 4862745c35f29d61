import CouloirDomain
import Foundation
import Testing

@Suite("Pause windows on the wall clock")
struct DailyWindowTests {
    func hours(_ first: String, _ last: String, _ opens: String, _ closes: String) -> PauseWindow {
        .daily(
            DailyHours(
                firstDay: LocalDate(first)!, lastDay: LocalDate(last)!, opens: LocalTime(opens)!,
                closes: LocalTime(closes)!))
    }

    func clock(_ zone: String) -> ZonedClock {
        ZonedClock(TimeZone(identifier: zone)!)
    }

    @Test func aDailyWindowGivesOneSpanADayAtTheSameWallClockHours() {
        let spans = hours("2016-10-20", "2016-10-22", "08:00", "19:00").occurrences(in: clock("Asia/Damascus"))
        #expect(
            spans == [
                Interval(start: instant("2016-10-20T08:00:00+03:00"), end: instant("2016-10-20T19:00:00+03:00")),
                Interval(start: instant("2016-10-21T08:00:00+03:00"), end: instant("2016-10-21T19:00:00+03:00")),
                Interval(start: instant("2016-10-22T08:00:00+03:00"), end: instant("2016-10-22T19:00:00+03:00")),
            ])
    }

    @Test func damascusWindowsKeepTheirWallClockHoursWhenSummerTimeEnds() {
        // Syria left summer time at midnight on 28 October 2016 (UTC+3 to UTC+2).
        let spans = hours("2016-10-27", "2016-10-29", "08:00", "19:00").occurrences(in: clock("Asia/Damascus"))
        #expect(
            spans.map(\.start) == [
                instant("2016-10-27T05:00:00Z"), instant("2016-10-28T06:00:00Z"), instant("2016-10-29T06:00:00Z"),
            ])
        #expect(spans.allSatisfy { $0.duration == 39_600 })
    }

    @Test func aDamascusNightWindowSpanningTheRepeatedHourLastsAnHourLonger() {
        let spans = hours("2016-10-27", "2016-10-27", "22:00", "02:00").occurrences(in: clock("Asia/Damascus"))
        #expect(
            spans == [Interval(start: instant("2016-10-27T22:00:00+03:00"), end: instant("2016-10-28T02:00:00+02:00"))])
        #expect(spans[0].duration == 18_000)
    }

    @Test func aDamascusOpeningInTheSkippedHourMovesForwardByTheGap() {
        // On 25 March 2016 Damascus clocks went from 00:00 straight to 01:00.
        let spans = hours("2016-03-25", "2016-03-25", "00:30", "06:00").occurrences(in: clock("Asia/Damascus"))
        #expect(
            spans == [Interval(start: instant("2016-03-25T01:30:00+03:00"), end: instant("2016-03-25T06:00:00+03:00"))])
    }

    @Test func parisWindowsAcrossBothChangesFollowTheWallClock() {
        let spring = hours("2024-03-30", "2024-04-01", "01:00", "05:00").occurrences(in: clock("Europe/Paris"))
        #expect(spring.map(\.duration) == [14_400, 10_800, 14_400] as [TimeInterval])
        #expect(spring[1].start == instant("2024-03-31T01:00:00+01:00"))
        #expect(spring[1].end == instant("2024-03-31T05:00:00+02:00"))
        let autumn = hours("2024-10-26", "2024-10-28", "01:00", "05:00").occurrences(in: clock("Europe/Paris"))
        #expect(autumn.map(\.duration) == [14_400, 18_000, 14_400] as [TimeInterval])
    }

    @Test func aParisWallTimeThatOccursTwiceResolvesToItsFirstOccurrence() {
        let start = clock("Europe/Paris").instant(on: LocalDate("2024-10-27")!, at: LocalTime("02:30")!)
        #expect(start == instant("2024-10-27T02:30:00+02:00"))
    }

    @Test(
        "an instant is inside a daily window exactly when its wall-clock time is",
        arguments: [
            ("2016-10-20T07:59:59+03:00", false),
            ("2016-10-20T08:00:00+03:00", true),
            ("2016-10-21T12:00:00+03:00", true),
            ("2016-10-22T18:59:59+03:00", true),
            ("2016-10-22T19:00:00+03:00", false),
            ("2016-10-20T22:00:00+03:00", false),
            ("2016-10-23T10:00:00+03:00", false),
        ])
    func containment(at text: String, inside: Bool) {
        let window = hours("2016-10-20", "2016-10-22", "08:00", "19:00")
        #expect((window.occurrence(containing: instant(text), in: clock("Asia/Damascus")) != nil) == inside)
    }

    @Test func aNightWindowContainsTheSmallHoursOfTheNextDay() {
        let window = hours("2016-10-20", "2016-10-20", "22:00", "04:00")
        let damascus = clock("Asia/Damascus")
        #expect(window.occurrence(containing: instant("2016-10-21T03:00:00+03:00"), in: damascus) != nil)
        #expect(window.occurrence(containing: instant("2016-10-22T03:00:00+03:00"), in: damascus) == nil)
    }

    @Test(
        "local dates and times parse only in their exact forms",
        arguments: ["2016-02-30", "2016-13-01", "16-10-20", "2016-1-20", "x"])
    func invalidDatesDoNotParse(_ text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func localDatesCountDaysLikeTheCalendar() {
        #expect(LocalDate("1970-01-01")!.daysSinceEpoch == 0)
        #expect(LocalDate("2016-10-20")!.daysSinceEpoch == 17_094)
        #expect(LocalDate(daysSinceEpoch: 17_094) == LocalDate("2016-10-20"))
        #expect(LocalDate("2016-02-28")!.adding(days: 1) == LocalDate("2016-02-29"))
        #expect(LocalTime("24:00") == nil)
    }
}
