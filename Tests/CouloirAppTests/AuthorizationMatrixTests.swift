import CouloirAccess
import CouloirCore
import CouloirDemo
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import HummingbirdTesting
import Testing

@testable import CouloirAPI

/// Every operation of the API, for every role, on a record in each relation to the
/// caller (its own, its organisation's, another member organisation's, and one of an
/// operation its organisation takes no part in), answered as `Policy.table` says: done when allowed, 403 when the record may be seen but not
/// changed, 404 when it may not be seen (as if it did not exist), never a foreign row in
/// a list or a figure. The expectations are computed from the table, not written out.
@Suite("Authorization matrix, generated from the policy table")
struct AuthorizationMatrixTests {
    /// The cells checked, by role; `allCellsAreChecked` adds them up.
    static let cellsPerRole = 45 * Relation.allCases.count

    @Test(arguments: Role.allCases)
    func everyOperationOnEveryRelationIsAnsweredAsThePolicySays(_ role: Role) async throws {
        try await withDemoServer { client, store in
            let world = try await World.make(for: role, in: store)
            var matrix = Matrix(
                role: role, client: client.with(secret: world.callerSecret),
                admin: client.with(secret: world.auditorSecret), world: world)
            try await matrix.run()
            #expect(matrix.cells == Self.cellsPerRole, "cells checked for \(role)")
            #expect(matrix.foreignRows == 0, "rows a \(role) may not see, listed")
        }
    }
}

/// One operation of each relation to the caller: the caller's own operation holds one
/// record of every kind in each member relation, and the operation of an organisation
/// the caller's takes no part in holds one of every kind too. Who made what is written
/// by the repository acting as that principal, exactly as the API writes it. An
/// auditor's organisation takes part in all four, to read what a refusal left.
struct World: Sendable {
    let role: Role
    let caller: Principal
    let callerSecret: String
    let auditorSecret: String
    /// An organisation taking part in none, for adding as a member.
    let partner: Organisation
    /// By relation: the operation, and the records in the caller's own operation.
    var operations: [Relation: EvacuationOperation.ID] = [:]
    var records: [Relation: [RecordKind: String]] = [:]
    var corridorOfCheckpoint: [String: String] = [:]

    static func make(for role: Role, in store: SQLRepository) async throws -> World {
        let mine = Organisation(name: "Caller's organisation")
        let theirs = Organisation(name: "Another organisation")
        let outsiders = Organisation(name: "An organisation taking no part")
        let auditors = Organisation(name: "Auditors")
        let partner = Organisation(name: "Partner")
        for organisation in [mine, theirs, outsiders, auditors, partner] { try await store.insert(organisation) }
        let auditorSecret = try await store.issue(
            AccessToken(organisationID: auditors.id, label: "auditor", role: .admin, issuedAt: Date()))
        // A party liaison for a party of no operation here, a monitor with no checkpoint:
        // what they reach is decided by who made each record alone.
        let assignment = role == .partyLiaison ? Assignment(partyID: Party.ID()) : Assignment()
        let token = AccessToken(
            organisationID: mine.id, label: "caller", role: role, assignment: assignment, issuedAt: Date())
        let secret = try await store.issue(token)
        let caller = Principal(token)
        let makers: [Relation: Principal] = [
            .own: caller,
            .sameOrganisation: Principal(actor: .user(User.ID()), organisationID: mine.id, role: .admin),
            .otherOrganisation: Principal(actor: .user(User.ID()), organisationID: theirs.id, role: .admin),
            .nonMember: Principal(actor: .user(User.ID()), organisationID: outsiders.id, role: .admin),
        ]
        var world = World(
            role: role, caller: caller, callerSecret: secret, auditorSecret: auditorSecret, partner: partner)
        let demo = DemoScenario.aleppo2016()
        for relation in Relation.allCases {
            let operation = EvacuationOperation(
                name: "Operation \(relation.rawValue)", area: "Aleppo", timeZoneIdentifier: "Asia/Damascus",
                languages: ["en"])
            try await store.acting(as: makers[relation]!).insert(operation)
            world.operations[relation] = operation.id
            // The caller's organisation takes part in every operation but the last.
            var partners = [auditors.id]
            if relation == .otherOrganisation { partners.append(mine.id) }
            if relation == .own { partners.append(theirs.id) }
            for organisation in partners { _ = try await store.addMember(organisation, to: operation.id) }
        }
        for relation in Relation.allCases {
            let home = world.operations[relation == .nonMember ? .nonMember : .own]!
            let maker = store.acting(as: makers[relation]!)
            var party = demo.parties[0]
            party.id = Party.ID()
            party.operationID = home
            try await maker.insert(party)
            var sector = demo.sectors[0]
            sector.id = Sector.ID()
            sector.operationID = home
            sector.control = []
            try await maker.insert(sector)
            var corridor = demo.corridors[0]
            corridor.id = Corridor.ID()
            corridor.operationID = home
            corridor.code = "M-\(relation.rawValue.prefix(5))"
            corridor.originSectorID = sector.id
            corridor.destinationSectorID = nil
            corridor.checkpoints = []
            corridor.overrides = []
            try await maker.insert(corridor)
            let checkpoint = Checkpoint(
                name: "Gate \(relation.rawValue)", location: demo.corridors[0].checkpoints[0].location)
            _ = try await maker.addCheckpoint(checkpoint, to: corridor.id, in: home)
            let template = demo.pauses[0]
            let pause = Pause(
                operationID: home, name: "Pause \(relation.rawValue)", windows: template.windows,
                sectorIDs: [sector.id], corridorIDs: [corridor.id], proposedAt: template.proposedAt,
                source: template.source)
            try await maker.insert(pause)
            var incident = demo.incidents[0]
            incident.id = Incident.ID()
            incident.operationID = home
            incident.place = .sector(sector.id)
            incident.verification = .unverified
            incident.verificationHistory = []
            try await maker.insert(incident)
            var claim = demo.claims[0]
            claim.id = Claim.ID()
            claim.operationID = home
            claim.partyID = nil
            claim.verification = .unverified
            claim.verificationHistory = []
            try await maker.insert(claim)
            world.records[relation] = [
                .party: party.id.description, .sector: sector.id.description, .corridor: corridor.id.description,
                .checkpoint: checkpoint.id.description, .pause: pause.id.description,
                .incident: incident.id.description, .claim: claim.id.description,
            ]
            world.corridorOfCheckpoint[checkpoint.id.description] = corridor.id.description
            // A tally at each checkpoint, for the lists and figures to hold or leave out.
            _ = try await store.submit(Self.tally(at: checkpoint.id, in: home))
        }
        return world
    }

    static func tally(at checkpoint: Checkpoint.ID, in operation: EvacuationOperation.ID) -> Tally {
        Tally(
            operationID: operation, checkpointID: checkpoint,
            interval: Interval(
                start: Date(timeIntervalSince1970: 1_476_950_400), end: Date(timeIntervalSince1970: 1_476_951_300)),
            direction: .outbound, counts: [GroupCount(group: .civilians, people: 12)],
            source: Source(name: "Matrix", kind: .monitor))
    }
}

/// Runs the cells for one role and counts them.
struct Matrix {
    let role: Role
    let client: BearerClient
    let admin: BearerClient
    let world: World
    var cells = 0
    var foreignRows = 0

    static let source = #"{"name":"Matrix test","kind":"coordinator"}"#

    /// What a call should get: the success status, 403, or 404 (or, for a tally at a
    /// checkpoint the caller may not see, 422 as for one that does not exist).
    func expected(_ action: Action, on kind: RecordKind, _ relation: Relation, success: Int) -> Int {
        if Policy.allows(role, action, on: relation) { return success }
        if action != kind.readAction, Policy.allows(role, kind.readAction, on: relation) { return 403 }
        return 404
    }

    /// What a change of members should get: as the policy says, but refused (403) to an
    /// administrator whose organisation did not make the operation, and so does not lead it.
    func expectedMembership(_ relation: Relation, success: Int) -> Int {
        let leads = [.own, .sameOrganisation].contains(relation)
        guard !leads, Policy.allows(role, .manageMembers, on: relation) else {
            return expected(.manageMembers, on: .operation, relation, success: success)
        }
        return 403
    }

    mutating func check(_ response: TestResponse, _ expected: Int, _ what: String) {
        cells += 1
        #expect(Int(response.status.code) == expected, "\(role) \(what): \(String(buffer: response.body))")
    }

    /// The operation holding the records of `relation`: the caller's own, or for an
    /// operation its organisation takes no part in, that one.
    func holder(_ relation: Relation) -> EvacuationOperation.ID {
        world.operations[relation == .nonMember ? .nonMember : .own]!
    }

    func path(_ relation: Relation, _ kind: RecordKind) -> String {
        "/api/v1/operations/\(holder(relation))/\(kind.collection)/\(world.records[relation]![kind]!)"
    }

    func home(_ tail: String, _ relation: Relation = .own) -> String {
        "/api/v1/operations/\(holder(relation))/\(tail)"
    }

    /// The record's ETag, read by the administrator.
    func eTag(_ path: String) async throws -> String {
        try await admin.json(path, .get).headers[.eTag] ?? ""
    }

    mutating func run() async throws {
        for relation in Relation.allCases {
            try await operations(relation)
            for kind in [RecordKind.party, .sector, .corridor, .checkpoint, .pause, .incident, .claim] {
                try await records(kind, relation)
            }
            try await extras(relation)
            try await tallies(relation)
            try await figures(relation)
        }
    }

    mutating func operations(_ relation: Relation) async throws {
        let path = "/api/v1/operations/\(world.operations[relation]!)"
        check(
            try await client.json(path, .get), expected(.readPlan, on: .operation, relation, success: 200),
            "GET \(relation) operation")
        let before = try await eTag(path)
        let body = #"{"name":"Renamed","area":"Aleppo","timeZone":"Asia/Damascus","languages":["en"]}"#
        let update = try await client.json(path, .put, body, headers: [.ifMatch: before])
        check(update, expected(.editOperation, on: .operation, relation, success: 200), "PUT \(relation) operation")
        if update.status != .ok { #expect(try await eTag(path) == before, "a refused PUT changed the operation") }
        try await listed(
            "/api/v1/operations?limit=200", world.operations[relation]!.description, .readPlan, .operation, relation)
        // Creating one is the caller's own from the start, whatever the relation.
        let created = try await client.json("/api/v1/operations", .post, body)
        check(created, Policy.allows(role, .editOperation, on: .own) ? 201 : 403, "POST an operation")
        // Its members: read with the plan, changed by the admin of the organisation that
        // made it (its lead) alone.
        check(
            try await client.json(path + "/members", .get), expected(.readPlan, on: .operation, relation, success: 200),
            "GET the members of a \(relation) operation")
        let added = try await client.json(path + "/members", .post, #"{"organisation":"\#(world.partner.name)"}"#)
        check(
            added, expectedMembership(relation, success: 201),
            "POST a member of a \(relation) operation")
        check(
            try await client.json(path + "/members/\(world.partner.id)", .delete),
            expectedMembership(relation, success: 204),
            "DELETE a member of a \(relation) operation")
    }

    mutating func records(_ kind: RecordKind, _ relation: Relation) async throws {
        let path = path(relation, kind)
        check(
            try await client.json(path, .get), expected(kind.readAction, on: kind, relation, success: 200),
            "GET \(relation) \(kind)")
        let before = try await eTag(path)
        let update = try await client.json(
            path, .put, try await body(for: kind, replacing: true), headers: [.ifMatch: before])
        check(update, expected(kind.writeAction, on: kind, relation, success: 200), "PUT \(relation) \(kind)")
        if update.status != .ok { #expect(try await eTag(path) == before, "a refused PUT changed the \(kind)") }
        try await listed(
            home("\(kind.collection)?limit=200", relation), world.records[relation]![kind]!, kind.readAction, kind,
            relation)
        // Creating one in an operation of this relation: the new record is the caller's own.
        let operation = world.operations[relation]!
        let canSee = Policy.allows(role, .readPlan, on: relation)
        let create = try await client.json(
            "/api/v1/operations/\(operation)/\(kind.collection)", .post, try await body(for: kind, in: operation))
        let allowed = Policy.allows(role, kind.writeAction, on: .own)
        // The bodies name records of the caller's own operation, which another does not hold.
        let namesOwnRecords: Set<RecordKind> = [.corridor, .checkpoint, .pause, .incident]
        let success = relation == .own || !namesOwnRecords.contains(kind) ? 201 : 422
        check(create, !canSee ? 404 : allowed ? success : 403, "POST a \(kind) in a \(relation) operation")
    }

    mutating func extras(_ relation: Relation) async throws {
        let corridor = path(relation, .corridor)
        let override = #"""
            {"state":"blocked","from":"2016-10-20T09:00:00+03:00","until":"2016-10-20T12:00:00+03:00",
             "reason":"Road cut","source":\#(Self.source)}
            """#
        check(
            try await client.json(corridor + "/overrides", .post, override),
            expected(.editPlan, on: .corridor, relation, success: 201), "POST an override on a \(relation) corridor")
        let transition =
            #"{"to":"agreed","at":"2016-10-19T12:00:00+03:00","actor":"Mediator","reason":"All parties accepted","source":\#(Self.source)}"#
        check(
            try await client.json(path(relation, .pause) + "/transitions", .post, transition),
            expected(.managePause, on: .pause, relation, success: 201), "POST a transition of a \(relation) pause")
        let verification = #"{"status":"corroborated","reason":"A second source","source":\#(Self.source)}"#
        for kind in [RecordKind.incident, .claim] {
            check(
                try await client.json(path(relation, kind) + "/verification", .post, verification),
                expected(.verifyReport, on: kind, relation, success: 201),
                "POST a verification of a \(relation) \(kind)")
        }
    }

    mutating func tallies(_ relation: Relation) async throws {
        let checkpoint = world.records[relation]![.checkpoint]!
        if relation == .nonMember {
            // The operation does not exist, to the caller: nothing in it either.
            check(
                try await client.json(home("tallies", relation), .post, tallyBody(at: checkpoint)), 404, "POST a tally")
            check(
                try await client.json(home("tallies/batch", relation), .post, #"{"items":[]}"#), 404,
                "POST an empty batch")
            check(try await client.json(home("tallies?limit=200", relation), .get), 404, "GET the tallies")
            return
        }
        let readsPlan = Policy.allows(role, .readPlan, on: relation)
        let expectedSubmit =
            Policy.allows(role, .submitTally, on: relation) ? 201 : readsPlan ? 403 : 422
        check(
            try await client.json(home("tallies"), .post, tallyBody(at: checkpoint)), expectedSubmit,
            "POST a tally at a \(relation) checkpoint")
        let batch = try await client.json(home("tallies/batch"), .post, #"{"items":[\#(tallyBody(at: checkpoint))]}"#)
        cells += 1
        let outcome = (try? JSONDecoder().decode(BatchAnswer.self, from: batch.body))?.results.first?.outcome
        #expect(
            outcome == (Policy.allows(role, .submitTally, on: relation) ? "created" : "invalid"),
            "\(role) batch at a \(relation) checkpoint: \(String(buffer: batch.body))")
        let list = try await client.json(home("tallies?limit=200"), .get)
        cells += 1
        guard Policy.reach(of: role, for: .readTallies) > .nothing else {
            #expect(list.status == .forbidden, "\(role) lists tallies")
            return
        }
        let rows = try JSONDecoder().decode(TallyList.self, from: list.body).items
        let allowed = Policy.allows(role, .readTallies, on: relation)
        #expect(
            rows.contains { $0.checkpointId == checkpoint } == allowed, "\(role) tallies at a \(relation) checkpoint")
        if !allowed { foreignRows += rows.filter { $0.checkpointId == checkpoint }.count }
    }

    mutating func figures(_ relation: Relation) async throws {
        let checkpoint = world.records[relation]![.checkpoint]!
        if relation == .nonMember {
            check(try await client.json(home("figures/flow", relation), .get), 404, "GET the flow")
            check(try await client.json(home("figures/progress", relation), .get), 404, "GET the progress")
            check(try await client.json(home("figures/protection", relation), .get), 404, "GET the protection figures")
            return
        }
        let sector = world.records[relation]![.sector]!
        let reaches = Policy.reach(of: role, for: .readFigures) > .nothing
        let allowed = Policy.allows(role, .readFigures, on: relation)
        let flow = try await client.json(
            home("figures/flow?groupBy=checkpoint&from=2016-10-20T00:00:00%2B03:00&until=2016-10-21T00:00:00%2B03:00"),
            .get)
        cells += 1
        if reaches {
            let report = try JSONDecoder().decode(FlowAnswer.self, from: flow.body)
            #expect(report.checkpointIds.contains(checkpoint) == allowed, "\(role) flow at a \(relation) checkpoint")
            if !allowed { foreignRows += report.checkpointIds.filter { $0 == checkpoint }.count }
        } else {
            #expect(flow.status == .forbidden, "\(role) reads flow")
        }
        let progress = try await client.json(home("figures/progress?at=2016-10-20T18:00:00%2B03:00"), .get)
        cells += 1
        if reaches {
            let sectors = try JSONDecoder().decode(ProgressAnswer.self, from: progress.body).sectors.map(\.sectorId)
            #expect(sectors.contains(sector) == allowed, "\(role) progress of a \(relation) sector")
            if !allowed { foreignRows += sectors.filter { $0 == sector }.count }
        } else {
            #expect(progress.status == .forbidden, "\(role) reads progress")
        }
        let protection = try await client.json(
            home("figures/protection?from=2016-10-20&until=2016-10-21T00:00:00%2B03:00"), .get)
        cells += 1
        if reaches {
            let corridor = world.records[relation]![.corridor]!
            let corridors = try JSONDecoder().decode(ProtectionAnswer.self, from: protection.body).days
                .flatMap { $0.corridors.map(\.corridorId) }
            #expect(corridors.contains(corridor) == allowed, "\(role) protection figures of a \(relation) corridor")
            if !allowed { foreignRows += corridors.filter { $0 == corridor }.count }
        } else {
            #expect(protection.status == .forbidden, "\(role) reads protection figures")
        }
    }

    /// Checks that a list holds `id` exactly when the caller may read it.
    mutating func listed(_ path: String, _ id: String, _ action: Action, _ kind: RecordKind, _ relation: Relation)
        async throws
    {
        let response = try await client.json(path, .get)
        cells += 1
        if relation == .nonMember, !path.hasPrefix("/api/v1/operations?") {
            #expect(response.status == .notFound, "\(role) \(path) in an operation taking no part")
            return
        }
        guard response.status == .ok else {
            Issue.record("\(role) \(path) answered \(response.status)")
            return
        }
        let ids = try JSONDecoder().decode(IDList.self, from: response.body).items.map(\.id)
        let allowed = Policy.allows(role, action, on: relation)
        #expect(ids.contains(id) == allowed, "\(role) list \(kind): \(relation) record listed")
        if !allowed { foreignRows += ids.filter { $0 == id }.count }
    }

    func tallyBody(at checkpoint: String) -> String {
        #"""
        {"id":"\#(UUID().uuidString.lowercased())","checkpointId":"\#(checkpoint)","direction":"outbound",
         "interval":{"start":"2016-10-20T10:00:00+03:00","end":"2016-10-20T10:15:00+03:00"},
         "counts":[{"group":"civilians","people":3}],"source":\#(Self.source)}
        """#
    }

    /// A valid body for `kind` in the caller's own operation (for a `PUT`, or for a
    /// `POST` in `operation`, naming the own operation's records, which another
    /// operation does not hold).
    func body(for kind: RecordKind, in operation: EvacuationOperation.ID? = nil, replacing: Bool = false)
        async throws -> String
    {
        let own = world.records[.own]!
        switch kind {
        case .operation, .party:
            return #"{"name":"Syrian Arab Red Crescent","kind":"redCrossRedCrescent"}"#
        case .sector:
            return #"""
                {"name":"Old City","boundary":{"type":"Polygon","coordinates":[[[37.15,36.2],[37.17,36.2],[37.17,36.22],[37.15,36.2]]]}}
                """#
        case .corridor:
            return #"""
                {"code":"M-\#(UUID().uuidString.prefix(8))","name":"Matrix corridor","originSectorId":"\#(own[.sector]!)",
                 "allowedGroups":["civilians"],"route":{"type":"LineString","coordinates":[[37.17,36.195],[37.145,36.193]]},
                 "source":\#(Self.source)}
                """#
        case .checkpoint:
            let location = #""location":{"type":"Point","coordinates":[37.16,36.21]}"#
            return replacing
                ? #"{"name":"Gate",\#(location)}"#
                : #"{"corridorId":"\#(own[.corridor]!)","name":"Gate",\#(location)}"#
        case .pause:
            return #"""
                {"name":"November pause","windows":[{"kind":"daily","firstDay":"2016-11-04","lastDay":"2016-11-06","opens":"09:00","closes":"19:00"}],
                 "corridorIds":["\#(own[.corridor]!)"],"proposedAt":"2016-11-01T08:00:00+03:00","source":\#(Self.source)}
                """#
        case .incident:
            return #"""
                {"kind":"pauseViolation","occurredAt":"2016-10-21T11:05:00+03:00","timePrecision":"hour",
                 "place":{"sectorId":"\#(own[.sector]!)"},"placePrecision":"area","severity":"high",
                 "summary":"Shelling near the crossing","reportedBy":"Monitor team 2","source":\#(Self.source)}
                """#
        case .claim:
            return #"""
                {"kind":"peopleEvacuated","value":48,"statement":"48 personnes ont quitté","madeAt":"2016-10-20T18:00:00+03:00","source":\#(Self.source)}
                """#
        }
    }
}

extension RecordKind {
    var collection: String {
        switch self {
        case .operation: "operations"
        case .party: "parties"
        case .sector: "sectors"
        case .corridor: "corridors"
        case .checkpoint: "checkpoints"
        case .pause: "pauses"
        case .incident: "incidents"
        case .claim: "claims"
        }
    }

    /// The action that creates or changes a record of this kind.
    var writeAction: Action {
        switch self {
        case .operation: .editOperation
        case .party, .sector, .corridor, .checkpoint: .editPlan
        case .pause: .managePause
        case .incident: .reportIncident
        case .claim: .recordClaim
        }
    }
}

private struct IDList: Decodable {
    struct Item: Decodable { let id: String }
    let items: [Item]
}

private struct TallyList: Decodable {
    struct Item: Decodable { let checkpointId: String }
    let items: [Item]
}

private struct BatchAnswer: Decodable {
    struct Result: Decodable { let outcome: String }
    let results: [Result]
}

private struct FlowAnswer: Decodable {
    let checkpointIds: [String]
}

private struct ProtectionAnswer: Decodable {
    struct Day: Decodable {
        struct Line: Decodable { let corridorId: String }
        let corridors: [Line]
    }
    let days: [Day]
}

private struct ProgressAnswer: Decodable {
    struct Sector: Decodable { let sectorId: String }
    let sectors: [Sector]
}
