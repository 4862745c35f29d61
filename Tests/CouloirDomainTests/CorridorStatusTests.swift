import CouloirDomain
import Foundation
import Testing

@Suite("Corridor status at an instant")
struct CorridorStatusTests {
    let fixture = Fixture()
    let damascus = ZonedClock(TimeZone(identifier: "Asia/Damascus")!)

    /// Daily 08:00–19:00 from 20 to 22 October; active from the first window, suspended
    /// on the 21st from 11:00 to 14:00.
    func pause() throws -> Pause {
        var pause = fixture.pause(windows: [
            .daily(
                DailyHours(
                    firstDay: LocalDate("2016-10-20")!, lastDay: LocalDate("2016-10-22")!, opens: LocalTime("08:00")!,
                    closes: LocalTime("19:00")!))
        ])
        for (state, at) in [
            (PauseState.agreed, "2016-10-19T18:00:00+03:00"), (.active, "2016-10-20T08:00:00+03:00"),
            (.suspended, "2016-10-21T11:00:00+03:00"), (.active, "2016-10-21T14:00:00+03:00"),
            (.ended, "2016-10-22T19:00:00+03:00"),
        ] {
            try pause.transition(to: state, at: instant(at), actor: "Cell", reason: "step", source: testSource)
        }
        return pause
    }

    func status(at text: String, pauses: [Pause], corridor: Corridor? = nil) -> CorridorStatus {
        CorridorStatus.of(corridor ?? fixture.corridor, at: instant(text), pauses: pauses, clock: damascus)
    }

    @Test func openInsideAWindowOfAnActivePause() throws {
        let pause = try pause()
        let status = status(at: "2016-10-20T10:00:00+03:00", pauses: [pause])
        #expect(status.state == .open)
        #expect(
            status.reason
                == .window(
                    pauseID: pause.id, pauseName: pause.name,
                    span: Interval(
                        start: instant("2016-10-20T08:00:00+03:00"), end: instant("2016-10-20T19:00:00+03:00"))))
    }

    @Test func closedBetweenWindowsOfAnActivePause() throws {
        let pause = try pause()
        let status = status(at: "2016-10-20T22:00:00+03:00", pauses: [pause])
        #expect(status.state == .closed)
        #expect(status.reason == .outsideWindows(pauseID: pause.id, pauseName: pause.name))
    }

    @Test func closedDuringASuspensionEvenInsideAWindow() throws {
        let pause = try pause()
        let status = status(at: "2016-10-21T12:00:00+03:00", pauses: [pause])
        #expect(status.state == .closed)
        #expect(status.reason == .pauseNotActive(pauseID: pause.id, pauseName: pause.name, state: .suspended))
        #expect(self.status(at: "2016-10-21T14:00:00+03:00", pauses: [pause]).state == .open)
    }

    @Test func closedInsideAWindowBeforeThePauseWasActivated() throws {
        var pause = fixture.pause(windows: [
            .fixed(Interval(start: instant("2016-10-20T08:00:00+03:00"), end: instant("2016-10-20T19:00:00+03:00")))
        ])
        try pause.transition(
            to: .agreed, at: instant("2016-10-19T00:00:00Z"), actor: "Cell", reason: "ok", source: testSource)
        let status = status(at: "2016-10-20T10:00:00+03:00", pauses: [pause])
        #expect(status.state == .closed)
        #expect(status.reason == .pauseNotActive(pauseID: pause.id, pauseName: pause.name, state: .agreed))
    }

    @Test func closedWhenNoPauseCoversTheCorridor() throws {
        var other = try pause()
        other.corridorIDs = [Corridor.ID()]
        let status = status(at: "2016-10-20T10:00:00+03:00", pauses: [other])
        #expect(status.state == .closed)
        #expect(status.reason == .noPause)
    }

    @Test func anOverrideWinsOverAnOpenWindowAndBlockedWinsOverClosed() throws {
        let pause = try pause()
        var corridor = fixture.corridor
        let closed = StatusOverride(
            state: .closed, from: instant("2016-10-20T09:00:00+03:00"), until: instant("2016-10-20T12:00:00+03:00"),
            reason: "Shelling nearby", source: testSource)
        let blocked = StatusOverride(
            state: .blocked, from: instant("2016-10-20T10:00:00+03:00"), until: instant("2016-10-20T11:00:00+03:00"),
            reason: "Road cut", source: testSource)
        corridor.overrides = [closed, blocked]
        #expect(
            status(at: "2016-10-20T09:30:00+03:00", pauses: [pause], corridor: corridor).reason == .override(closed))
        let during = status(at: "2016-10-20T10:30:00+03:00", pauses: [pause], corridor: corridor)
        #expect(during.state == .blocked)
        #expect(during.explanation == "blocked by a coordinator: Road cut")
        #expect(status(at: "2016-10-20T12:00:00+03:00", pauses: [pause], corridor: corridor).state == .open)
    }
}
