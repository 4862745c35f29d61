import CouloirDomain
import Foundation
import Testing

@Suite("Validation names the field at fault")
struct ValidationTests {
    static let fixture = Fixture()

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let pointers: [String]
        let check: @Sendable () throws -> Void
    }

    static let cases: [Case] = {
        let f = fixture
        let ring = { @Sendable (positions: [(Double, Double)]) in
            positions.map { Position(longitude: $0.0, latitude: $0.1) }
        }
        var cases: [Case] = []
        func add(_ name: String, _ pointers: [String], _ check: @escaping @Sendable () throws -> Void) {
            cases.append(Case(testDescription: name, pointers: pointers, check: check))
        }
        add("inverted tally interval", ["/interval/end"]) {
            try f.tally(start: "2016-10-20T09:00:00+03:00", end: "2016-10-20T08:00:00+03:00").validate(in: f.index)
        }
        add("empty tally interval", ["/interval/end"]) {
            try f.tally(start: "2016-10-20T09:00:00+03:00", end: "2016-10-20T09:00:00+03:00").validate(in: f.index)
        }
        add("negative count", ["/counts/0/people"]) {
            try f.tally(counts: [GroupCount(group: .civilians, people: -1)]).validate(in: f.index)
        }
        add("negative vehicles", ["/vehicles/buses"]) {
            var tally = f.tally()
            tally.vehicles.buses = -2
            try tally.validate(in: f.index)
        }
        add("breakdown that does not add up", ["/counts/0/breakdown"]) {
            let breakdown = SexAgeBreakdown(
                female: AgeBands(children: 1, adults: 2, elderly: 0), male: AgeBands(children: 1, adults: 1, elderly: 1)
            )
            try f.tally(counts: [GroupCount(group: .civilians, people: 10, breakdown: breakdown)]).validate(in: f.index)
        }
        add("negative band in a breakdown", ["/counts/0/breakdown/male/elderly", "/counts/0/breakdown"]) {
            let breakdown = SexAgeBreakdown(
                female: AgeBands(children: 5, adults: 5, elderly: 0),
                male: AgeBands(children: 0, adults: 1, elderly: -1))
            try f.tally(counts: [GroupCount(group: .civilians, people: 11, breakdown: breakdown)]).validate(in: f.index)
        }
        add("more unaccompanied children than children", ["/counts/0/unaccompaniedChildren"]) {
            let breakdown = SexAgeBreakdown(
                female: AgeBands(children: 1, adults: 2, elderly: 0), male: AgeBands(children: 0, adults: 1, elderly: 0)
            )
            try f.tally(counts: [
                GroupCount(group: .civilians, people: 4, breakdown: breakdown, unaccompaniedChildren: 2)
            ]).validate(in: f.index)
        }
        add("a group counted twice", ["/counts/1/group"]) {
            try f.tally(counts: [GroupCount(group: .civilians, people: 1), GroupCount(group: .civilians, people: 2)])
                .validate(in: f.index)
        }
        add("a tally counting no group", ["/counts"]) {
            try f.tally(counts: []).validate(in: f.index)
        }
        add("a tally at another operation's checkpoint", ["/checkpointId"]) {
            var tally = f.tally()
            tally.checkpointID = Checkpoint.ID()
            try tally.validate(in: f.index)
        }
        add("polygon ring not closed", ["/boundary/coordinates/0"]) {
            var sector = f.origin
            sector.boundary = Polygon(exterior: ring([(37.1, 36.1), (37.2, 36.1), (37.2, 36.2), (37.1, 36.2)]))
            try sector.validate(in: f.index)
        }
        add("polygon ring with three positions", ["/boundary/coordinates/0"]) {
            var sector = f.origin
            sector.boundary = Polygon(exterior: ring([(37.1, 36.1), (37.2, 36.1), (37.1, 36.1)]))
            try sector.validate(in: f.index)
        }
        add("polygon ring collapsed to a line", ["/boundary/coordinates/0"]) {
            var sector = f.origin
            sector.boundary = Polygon(exterior: ring([(37.1, 36.1), (37.2, 36.1), (37.1, 36.1), (37.1, 36.1)]))
            try sector.validate(in: f.index)
        }
        add("position out of range", ["/boundary/coordinates/0/1/1"]) {
            var sector = f.origin
            sector.boundary = Polygon(exterior: ring([(37.1, 36.1), (37.2, 96.1), (37.2, 36.2), (37.1, 36.1)]))
            try sector.validate(in: f.index)
        }
        add("population range around no value", ["/population/high"]) {
            var sector = f.origin
            sector.population = PopulationEstimate(
                value: 100, low: 50, high: 90, asOf: LocalDate("2016-10-01")!, source: testSource)
            try sector.validate(in: f.index)
        }
        add("sector controlled by another operation's party", ["/control/0/partyId"]) {
            var sector = f.origin
            sector.control = [
                ControlPeriod(partyID: Party.ID(), since: instant("2012-07-20T00:00:00Z"), source: testSource)
            ]
            try sector.validate(in: f.index)
        }
        add("corridor allowing no group", ["/allowedGroups"]) {
            var corridor = f.corridor
            corridor.allowedGroups = []
            try corridor.validate(in: f.index)
        }
        add("corridor from another operation's sector", ["/originSectorId"]) {
            var corridor = f.corridor
            corridor.originSectorID = Sector.ID()
            try corridor.validate(in: f.index)
        }
        add("corridor route of one position", ["/route/coordinates"]) {
            var corridor = f.corridor
            corridor.route = LineString([Position(longitude: 37.1, latitude: 36.1)])
            try corridor.validate(in: f.index)
        }
        add("unknown time zone", ["/timeZone"]) {
            var operation = f.operation
            operation.timeZoneIdentifier = "Asia/Aleppo"
            try operation.validate()
        }
        add("pause over another operation's corridor", ["/corridorIds/0"]) {
            var pause = f.pause(windows: [
                .fixed(Interval(start: instant("2016-10-20T08:00:00Z"), end: instant("2016-10-20T09:00:00Z")))
            ])
            pause.corridorIDs = [Corridor.ID()]
            try pause.validate(in: f.index)
        }
        add("pause naming a corridor twice", ["/corridorIds"]) {
            var pause = f.pause(windows: [
                .fixed(Interval(start: instant("2016-10-20T08:00:00Z"), end: instant("2016-10-20T09:00:00Z")))
            ])
            pause.corridorIDs += pause.corridorIDs
            try pause.validate(in: f.index)
        }
        add("pause with an inverted fixed window", ["/windows/0/fixed/end"]) {
            try f.pause(windows: [
                .fixed(Interval(start: instant("2016-10-20T09:00:00Z"), end: instant("2016-10-20T08:00:00Z")))
            ]).validate(in: f.index)
        }
        add("daily window ending before it starts", ["/windows/0/daily/lastDay"]) {
            try f.pause(windows: [
                .daily(
                    DailyHours(
                        firstDay: LocalDate("2016-10-22")!, lastDay: LocalDate("2016-10-20")!,
                        opens: LocalTime("08:00")!, closes: LocalTime("19:00")!))
            ]).validate(in: f.index)
        }
        add("daily window opening and closing at once", ["/windows/0/daily/closes"]) {
            try f.pause(windows: [
                .daily(
                    DailyHours(
                        firstDay: LocalDate("2016-10-20")!, lastDay: LocalDate("2016-10-20")!,
                        opens: LocalTime("08:00")!, closes: LocalTime("08:00")!))
            ]).validate(in: f.index)
        }
        add("pause with no window", ["/windows"]) {
            try f.pause(windows: []).validate(in: f.index)
        }
        add("claimed control share over 100%", ["/value"]) {
            try Claim(
                operationID: f.operation.id, kind: .controlShare, value: 193, statement: "193%",
                madeAt: instant("2016-12-10T12:00:00Z"), source: testSource
            ).validate(in: f.index)
        }
        add("claimed figure missing", ["/value"]) {
            try Claim(
                operationID: f.operation.id, kind: .peopleEvacuated, statement: "many",
                madeAt: instant("2016-12-10T12:00:00Z"), source: testSource
            ).validate(in: f.index)
        }
        add("incident on another operation's corridor", ["/place/corridorId"]) {
            try Incident(
                operationID: f.operation.id, kind: .obstruction, occurredAt: instant("2016-10-20T12:00:00Z"),
                timePrecision: .day, place: .corridor(Corridor.ID()), placePrecision: .area, severity: .high,
                summary: "Blocked", reportedBy: "Team", source: testSource
            ).validate(in: f.index)
        }
        add("source without a name", ["/source/name"]) {
            var tally = f.tally()
            tally.source = Source(name: "", kind: .monitor)
            try tally.validate(in: f.index)
        }
        return cases
    }()

    @Test("each rule is enforced and names its field", arguments: cases)
    func invalidRecordsNameTheirFields(_ invalid: Case) {
        #expect(issuePointers(invalid.check) == invalid.pointers)
    }

    @Test func validRecordsPass() throws {
        let f = Self.fixture
        try f.operation.validate()
        try f.origin.validate(in: f.index)
        try f.corridor.validate(in: f.index)
        let breakdown = SexAgeBreakdown(
            female: AgeBands(children: 3, adults: 2, elderly: 1), male: AgeBands(children: 2, adults: 1, elderly: 1))
        try f.tally(counts: [GroupCount(group: .civilians, people: 10, breakdown: breakdown, unaccompaniedChildren: 1)])
            .validate(in: f.index)
    }

    @Test(
        "known IANA zones are accepted",
        arguments: ["Asia/Damascus", "Europe/Paris", "UTC", "America/Argentina/Buenos_Aires"])
    func knownTimeZones(_ zone: String) throws {
        var operation = Self.fixture.operation
        operation.timeZoneIdentifier = zone
        try operation.validate()
    }
}
