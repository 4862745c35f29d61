import CouloirDomain
import Foundation
import Testing

@testable import CouloirSQLStorage

@Suite struct TallyDigestTests {
    static let tally = Tally(
        operationID: EvacuationOperation.ID(), checkpointID: Checkpoint.ID(),
        interval: Interval(
            start: Date(timeIntervalSince1970: 1_476_939_600), end: Date(timeIntervalSince1970: 1_476_940_500)),
        direction: .outbound,
        counts: [
            GroupCount(
                group: .civilians, people: 12,
                breakdown: SexAgeBreakdown(
                    female: AgeBands(children: 3, adults: 2, elderly: 1),
                    male: AgeBands(children: 3, adults: 2, elderly: 1)),
                unaccompaniedChildren: 1),
            GroupCount(group: .sickAndWounded, people: 2),
        ],
        vehicles: Vehicles(cars: 1, buses: 2, ambulances: 3), supersedes: Tally.ID(),
        source: Source(name: "Team 7", kind: .monitor, reference: "log 12", illustrative: false))

    /// Each change to any field of a tally, one at a time.
    static let changes: [(String, @Sendable (inout Tally) -> Void)] = [
        ("id", { $0.id = Tally.ID() }),
        ("operation", { $0.operationID = EvacuationOperation.ID() }),
        ("checkpoint", { $0.checkpointID = Checkpoint.ID() }),
        ("start", { $0.interval.start = $0.interval.start.addingTimeInterval(-1) }),
        ("end", { $0.interval.end = $0.interval.end.addingTimeInterval(1) }),
        ("direction", { $0.direction = .inbound }),
        ("group", { $0.counts[1].group = .fighters }),
        ("people", { $0.counts[0].people += 1 }),
        ("female band", { $0.counts[0].breakdown?.female.elderly += 1 }),
        ("male band", { $0.counts[0].breakdown?.male.children += 1 }),
        ("no breakdown", { $0.counts[0].breakdown = nil }),
        ("unaccompanied", { $0.counts[0].unaccompaniedChildren = nil }),
        ("cars", { $0.vehicles.cars += 1 }),
        ("buses", { $0.vehicles.buses += 1 }),
        ("ambulances", { $0.vehicles.ambulances += 1 }),
        ("supersedes", { $0.supersedes = nil }),
        ("source name", { $0.source.name = "Team 8" }),
        ("source kind", { $0.source.kind = .party }),
        ("source reference", { $0.source.reference = nil }),
        ("illustrative", { $0.source.illustrative = true }),
        (
            "name running into reference",
            {
                $0.source.name = "Team 7 7:log 1"
                $0.source.reference = "2"
            }
        ),
    ]

    @Test func everyFieldOfATallyChangesItsDigest() {
        var seen: Set<String> = [Self.tally.auditDigest]
        for (name, change) in Self.changes {
            var changed = Self.tally
            change(&changed)
            #expect(seen.insert(changed.auditDigest).inserted, "changing \(name) left the digest as it was")
        }
        var reordered = Self.tally
        reordered.counts.reverse()
        #expect(reordered.auditDigest == Self.tally.auditDigest)
    }

    /// A field added to a tally must be added to its audit text: this fails until it is.
    @Test func theAuditTextCoversEveryStoredPropertyOfATally() {
        let fields = [
            ("Tally", Mirror(reflecting: Self.tally).children.count, 9),
            ("GroupCount", Mirror(reflecting: Self.tally.counts[0]).children.count, 4),
            ("AgeBands", Mirror(reflecting: AgeBands(children: 0, adults: 0, elderly: 0)).children.count, 3),
            ("Vehicles", Mirror(reflecting: Self.tally.vehicles).children.count, 3),
            ("Source", Mirror(reflecting: Self.tally.source).children.count, 4),
            ("Interval", Mirror(reflecting: Self.tally.interval).children.count, 2),
        ]
        for (type, count, covered) in fields {
            #expect(count == covered, "\(type) has \(count) stored properties; the audit text covers \(covered)")
        }
    }
}
