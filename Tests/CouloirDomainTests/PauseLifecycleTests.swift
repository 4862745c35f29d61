import CouloirDomain
import Foundation
import Testing

@Suite("Pause lifecycle")
struct PauseLifecycleTests {
    /// A path from proposed to each state.
    static func pause(in state: PauseState) throws -> Pause {
        let paths: [PauseState: [PauseState]] = [
            .proposed: [], .agreed: [.agreed], .active: [.agreed, .active],
            .suspended: [.agreed, .active, .suspended], .ended: [.agreed, .active, .ended],
            .cancelled: [.cancelled],
        ]
        var pause = Fixture().pause(windows: [])
        var at = instant("2016-10-02T00:00:00Z")
        for step in paths[state]! {
            try pause.transition(to: step, at: at, actor: "Cell", reason: "step", source: testSource)
            at += 3600
        }
        return pause
    }

    static let legal: Set<[PauseState]> = [
        [.proposed, .agreed], [.proposed, .cancelled], [.agreed, .active], [.agreed, .cancelled],
        [.active, .suspended], [.active, .ended], [.suspended, .active], [.suspended, .ended],
    ]

    static let everyPair = PauseState.allCases.flatMap { from in PauseState.allCases.map { to in (from, to) } }

    @Test("every step between two states is allowed exactly when the lifecycle says so", arguments: everyPair)
    func transitionsFollowTheLifecycle(from: PauseState, to: PauseState) throws {
        var pause = try Self.pause(in: from)
        let at = instant("2016-10-05T00:00:00Z")
        if Self.legal.contains([from, to]) {
            try pause.transition(to: to, at: at, actor: "Cell", reason: "why", source: testSource)
            #expect(pause.state == to)
            #expect(
                pause.history.last
                    == PauseTransition(from: from, to: to, at: at, actor: "Cell", reason: "why", source: testSource))
        } else {
            let before = pause
            #expect(throws: DomainError.illegalTransition(from: from, to: to)) {
                try pause.transition(to: to, at: at, actor: "Cell", reason: "why", source: testSource)
            }
            #expect(pause == before)
        }
    }

    @Test func finalStatesHaveNoSuccessors() {
        #expect(PauseState.allCases.filter(\.isFinal) == [.ended, .cancelled])
    }

    @Test func aStepBeforeThePreviousOneIsRefusedAndNamesItsTime() throws {
        var pause = try Self.pause(in: .agreed)
        #expect(
            issuePointers {
                try pause.transition(
                    to: .active, at: instant("2016-10-01T12:00:00Z"), actor: "Cell", reason: "late", source: testSource)
            } == ["/at"])
        #expect(pause.state == .agreed)
    }

    @Test func aStepWithoutActorOrReasonIsRefused() throws {
        var pause = try Self.pause(in: .agreed)
        let pointers = issuePointers {
            try pause.transition(
                to: .active, at: instant("2016-10-09T00:00:00Z"), actor: " ", reason: "", source: testSource)
        }
        #expect(pointers == ["/actor", "/reason"])
    }

    @Test func stateAtAnInstantFollowsTheRecordedSteps() throws {
        let pause = try Self.pause(in: .suspended)
        #expect(pause.state(at: instant("2016-10-01T00:00:00Z")) == .proposed)
        #expect(pause.state(at: instant("2016-10-02T00:30:00Z")) == .agreed)
        #expect(pause.state(at: instant("2016-10-02T01:00:00Z")) == .active)
        #expect(pause.state(at: instant("2016-10-02T02:00:00Z")) == .suspended)
    }

    @Test func aStoredHistoryThatSkipsAStateIsInvalid() throws {
        let fixture = Fixture()
        let pause = Pause(
            operationID: fixture.operation.id, name: "Pause",
            windows: [
                .fixed(Interval(start: instant("2016-10-20T08:00:00+03:00"), end: instant("2016-10-20T19:00:00+03:00")))
            ],
            corridorIDs: [fixture.corridor.id], proposedAt: instant("2016-10-01T00:00:00Z"), source: testSource,
            history: [
                PauseTransition(
                    from: .proposed, to: .active, at: instant("2016-10-02T00:00:00Z"), actor: "A", reason: "R",
                    source: testSource)
            ])
        #expect(issuePointers { try pause.validate(in: fixture.index) } == ["/history/0"])
    }
}
