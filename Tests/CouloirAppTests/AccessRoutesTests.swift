import CouloirAccess
import CouloirApp
import CouloirAudit
import CouloirCore
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What assignments reach over HTTP on the demo: a monitor's checkpoint, what is shared
/// with a party liaison's party; fields a caller may not set; who the audit log names.
@Suite("Access over HTTP, by assignment")
struct AccessRoutesTests {
    static let scenario = DemoScenario.aleppo2016()
    static let aleppo = scenario.operations[0]
    static let operation = "/api/v1/operations/\(aleppo.id)"

    struct IDs: Decodable {
        struct Item: Decodable { let id: String }
        let items: [Item]
    }

    func ids(_ client: some TestClientProtocol, _ path: String) async throws -> Set<String> {
        let response = try await client.json(path, .get)
        #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
        return Set(try JSONDecoder().decode(IDs.self, from: response.body).items.map(\.id))
    }

    /// A token of the demo's field team for a monitor at the first checkpoint of the
    /// first corridor, or of its delegation for the government's liaison.
    func token(_ role: Role, in store: SQLRepository) async throws -> (secret: String, id: AccessToken.ID) {
        let corridor = Self.scenario.corridors.first { $0.operationID == Self.aleppo.id }!
        let government = Self.scenario.parties.first { $0.operationID == Self.aleppo.id && $0.kind == .belligerent }!
        let organisation = try await store.findOrAddOrganisation(
            named: role == .monitor ? DemoLoader.fieldTeam : DemoLoader.delegation
        ).organisation
        let assignment =
            role == .monitor
            ? Assignment(checkpointIDs: [corridor.checkpoints[0].id]) : Assignment(partyID: government.id)
        let token = AccessToken(
            organisationID: organisation.id, label: "\(role)", role: role, assignment: assignment, issuedAt: Date())
        return (try await store.issue(token), token.id)
    }

    @Test func aMonitorReachesItsCheckpointItsCorridorAndThePausesOverItAndCountsOnlyThere() async throws {
        try await withDemoServer { admin, store in
            let (secret, tokenID) = try await token(.monitor, in: store)
            let client = admin.with(secret: secret)
            let corridors = Self.scenario.corridors.filter { $0.operationID == Self.aleppo.id }
            let mine = corridors[0]
            #expect(try await ids(client, "/api/v1/operations") == [Self.aleppo.id.description])
            #expect(try await ids(client, Self.operation + "/corridors") == [mine.id.description])
            #expect(try await ids(client, Self.operation + "/checkpoints") == [mine.checkpoints[0].id.description])
            #expect(try await ids(client, Self.operation + "/pauses").count == 1, "the pause covering its corridor")
            #expect(try await ids(client, Self.operation + "/parties").isEmpty, "no party is in its assignment")

            let here = TallyRoutesTests.body(id: UUID(), checkpoint: mine.checkpoints[0].id.description)
            #expect(try await client.json(Self.operation + "/tallies", .post, here).status == .created)
            let elsewhere = TallyRoutesTests.body(id: UUID(), checkpoint: corridors[1].checkpoints[0].id.description)
            let refused = try await client.json(Self.operation + "/tallies", .post, elsewhere)
            #expect(refused.status == .unprocessableContent, "a checkpoint it may not see, as if there were none")
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: refused.body)
            #expect(problem.invalidParams?.map(\.pointer) == ["/checkpointId"])
            #expect(
                try await client.json(Self.operation + "/corridors/\(corridors[1].id)", .get).status == .notFound)

            // Its tally list holds its checkpoint's tallies only; the figures, its corridor only.
            let listed = try await client.json(Self.operation + "/tallies?limit=200", .get)
            let checkpoints = try JSONDecoder().decode(TallyRoutesTests.TallyCheckpoints.self, from: listed.body)
            #expect(Set(checkpoints.items.map(\.checkpointId)) == [mine.checkpoints[0].id.description])
            let flow = try await client.json(Self.operation + "/figures/flow?groupBy=corridor", .get)
            let series = try JSONDecoder().decode(FlowSeriesList.self, from: flow.body).series
            #expect(Set(series.compactMap(\.corridorId)) == [mine.id.description])

            // It reports incidents on its corridor; another is refused as one that does not exist.
            func incident(on corridor: Corridor.ID) -> String {
                #"""
                {"kind":"pauseViolation","occurredAt":"2016-10-20T11:05:00+03:00","timePrecision":"hour",
                 "place":{"corridorId":"\#(corridor)"},"placePrecision":"area","severity":"high",
                 "summary":"Shots near the crossing","reportedBy":"Team 1","source":{"name":"Team 1","kind":"monitor"}}
                """#
            }
            let onMine = try await client.json(Self.operation + "/incidents", .post, incident(on: mine.id))
            #expect(onMine.status == .created)
            let onOther = try await client.json(Self.operation + "/incidents", .post, incident(on: corridors[1].id))
            #expect(onOther.status == .unprocessableContent)
            let placeProblem = try JSONDecoder().decode(ProblemDocument.self, from: onOther.body)
            #expect(placeProblem.invalidParams?.map(\.pointer) == ["/place/corridorId"])

            // The audit log names the phone as the author of its last change.
            let size = try await store.auditSize()
            let last = try #require(try await store.auditEntries(offset: size - 1, limit: 1).first)
            #expect(last.text.contains("device:\(tokenID)"), "\(last.text)")
        }
    }

    @Test func aPartyLiaisonSeesWhatIsSharedWithItsPartyAndChangesNothing() async throws {
        try await withDemoServer { admin, store in
            let (secret, _) = try await token(.partyLiaison, in: store)
            let client = admin.with(secret: secret)
            let government = Self.scenario.parties.first {
                $0.operationID == Self.aleppo.id && $0.kind == .belligerent
            }!
            #expect(try await ids(client, "/api/v1/operations") == [Self.aleppo.id.description])
            #expect(try await ids(client, Self.operation + "/parties") == [government.id.description])
            // The demo's pause asks the government's guarantee and covers all eight corridors.
            #expect(try await ids(client, Self.operation + "/pauses").count == 1)
            #expect(try await ids(client, Self.operation + "/corridors").count == 8)
            let claims = try await ids(client, Self.operation + "/claims")
            let attributed = Self.scenario.claims.filter { $0.partyID == government.id }.map(\.id.description)
            #expect(claims == Set(attributed), "claims attributed to its party, no others")
            let tallies = try await client.json(Self.operation + "/tallies", .get)
            #expect(tallies.status == .forbidden, "a liaison reads figures, not tallies one by one")
            let party = #"{"name":"Another","kind":"ngo"}"#
            #expect(try await client.json(Self.operation + "/parties", .post, party).status == .forbidden)
        }
    }

    @Test func fieldsACallerMayNotSetAreRefusedAndChangeNothing() async throws {
        try await withDemo { client in
            let tally = TallyRoutesTests.body(id: UUID())
            for (field, value) in [("organisationId", "\"\(UUID())\""), ("operationId", "\"\(UUID())\"")] {
                let injected = tally.replacingOccurrences(
                    of: #""direction""#, with: #""\#(field)":\#(value),"direction""#)
                let response = try await client.json(Self.operation + "/tallies", .post, injected)
                #expect(response.status == .unprocessableContent, "\(field)")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
                #expect(problem.invalidParams?.map(\.pointer) == ["/\(field)"])
            }
            let party = #"{"id":"\#(UUID())","name":"Injected","kind":"ngo","organisationId":"\#(UUID())"}"#
            let refused = try await client.json(Self.operation + "/parties", .post, party)
            #expect(refused.status == .unprocessableContent)
            #expect(try await ids(client, Self.operation + "/parties?limit=200").count == 4, "nothing was made")
        }
    }

    @Test func aCorrectionIsCountedWhereItsOriginalWas() async throws {
        try await withDemo { client in
            let original = UUID()
            let first = TallyRoutesTests.body(id: original)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, first).status == .created)
            let elsewhere = Self.scenario.corridors[1].checkpoints[0].id.description
            let correction = TallyRoutesTests.body(id: UUID(), checkpoint: elsewhere, supersedes: original)
            let refused = try await client.json(TallyRoutesTests.tallies, .post, correction)
            #expect(refused.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: refused.body)
            #expect(problem.invalidParams?.map(\.pointer) == ["/supersedes"])
            let here = TallyRoutesTests.body(id: UUID(), supersedes: original)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, here).status == .created)
        }
    }

    @Test func requestsWithoutAValidTokenAre401WithAChallenge() async throws {
        try await withDemo { client in
            for authorization in ["Bearer ", "Bearer couloir_unknown", "Basic YWRtaW46YWRtaW4=", "Bearer"] {
                let response = try await client.json(Self.operation, .get, headers: [.authorization: authorization])
                #expect(response.status == .unauthorized, "\(authorization)")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"couloir\"") == true)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            let unprotected = try await client.client.executeRequest(
                uri: Self.operation, method: .get, headers: [:], body: nil)
            #expect(unprotected.status == .unauthorized, "no Authorization at all")
        }
    }
}

struct FlowSeriesList: Decodable {
    struct Series: Decodable { let corridorId: String? }
    let series: [Series]
}

extension TallyRoutesTests {
    struct TallyCheckpoints: Decodable {
        struct Item: Decodable { let checkpointId: String }
        let items: [Item]
    }
}
