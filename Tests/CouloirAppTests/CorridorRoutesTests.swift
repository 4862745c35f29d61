import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Creating, editing and overriding corridors through the API.
@Suite("Corridor routes")
struct CorridorRoutesTests {
    struct Corridor: Decodable {
        struct Status: Decodable {
            let state: String
            let explanation: String
        }
        struct Checkpoint: Decodable {
            let id: String
            let name: String
            let position: Int
        }
        let id: String
        let code: String
        let name: String
        let capacityPerHour: Int?
        let checkpoints: [Checkpoint]
        let status: Status
    }
    struct Sector: Decodable { let id: String }

    static let aleppo = "81a1e60b-caec-4727-b4fc-5ece7f5570d0"
    static let c1 = "f70f5db3-645b-4964-b0cd-7f1f0fd41573"
    static var c1URI: String { "/api/v1/operations/\(aleppo)/corridors/\(c1)" }

    struct Sectors: Decodable {
        let originSectorId: String
        let destinationSectorId: String?
    }

    func sectorsOfC1(_ client: some TestClientProtocol) async throws -> (origin: String, destination: String) {
        let sectors = try JSONDecoder().decode(Sectors.self, from: try await client.json(Self.c1URI, .get).body)
        return (sectors.originSectorId, try #require(sectors.destinationSectorId))
    }

    /// C1 as the demo has it, with another name and capacity.
    func body(_ client: some TestClientProtocol, name: String, capacity: Int = 600) async throws -> String {
        let (origin, destination) = try await sectorsOfC1(client)
        return """
            {"code":"C1","name":"\(name)","originSectorId":"\(origin)","destinationSectorId":"\(destination)",
             "allowedGroups":["civilians","sickAndWounded"],"capacityPerHour":\(capacity),
             "route":{"type":"LineString","coordinates":[[37.17,36.195],[37.145,36.193]]},
             "source":{"name":"Coordination cell","kind":"coordinator"}}
            """
    }

    @Test func aCorridorReadsWithItsETagAndItsStatusAtAnInstant() async throws {
        try await withDemo { client in
            let response = try await client.json(Self.c1URI + "?at=2016-10-20T10:00:00%2B03:00", .get)
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == #""1""#)
            let corridor = try JSONDecoder().decode(Corridor.self, from: response.body)
            #expect(corridor.code == "C1")
            #expect(corridor.status.state == "open")
        }
    }

    @Test func ofTwoClientsEditingACorridorFromOneETagExactlyOneSucceeds() async throws {
        try await withDemo { client in
            let etag = try #require(try await client.json(Self.c1URI, .get).headers[.eTag])
            let bodies = [try await body(client, name: "Edit A"), try await body(client, name: "Edit B")]
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for body in bodies {
                    group.addTask { try await client.json(Self.c1URI, .put, body, headers: [.ifMatch: etag]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .preconditionFailed])
            let read = try await client.json(Self.c1URI, .get)
            #expect(read.headers[.eTag] == #""2""#)
            let corridor = try JSONDecoder().decode(Corridor.self, from: read.body)
            #expect(["Edit A", "Edit B"].contains(corridor.name))
            #expect(corridor.checkpoints.count == 1)
        }
    }

    @Test func anUpdateWithoutIfMatchOrWithAStaleOneChangesNothing() async throws {
        try await withDemo { client in
            let edit = try await body(client, name: "Changed", capacity: 1)
            let missing = try await client.json(Self.c1URI, .put, edit)
            let stale = try await client.json(Self.c1URI, .put, edit, headers: [.ifMatch: #""7""#])
            #expect(missing.status == .preconditionRequired)
            #expect(stale.status == .preconditionFailed)
            let read = try await client.json(Self.c1URI, .get)
            #expect(read.headers[.eTag] == #""1""#)
            #expect(try JSONDecoder().decode(Corridor.self, from: read.body).capacityPerHour == 600)
        }
    }

    @Test func aCorridorFromAnotherOperationsSectorIs422AndStoresNothing() async throws {
        try await withDemo { client in
            let list = "/api/v1/operations/\(Self.aleppo)/corridors"
            struct List: Decodable { let items: [Corridor] }
            let before = try JSONDecoder().decode(List.self, from: try await client.json(list, .get).body).items.map(
                \.id)
            let stray = try await body(client, name: "Stray").replacingOccurrences(
                of: "\"code\":\"C1\"", with: "\"code\":\"Z9\""
            )
            .replacingOccurrences(of: try await sectorsOfC1(client).origin, with: UUID().uuidString.lowercased())
            let response = try await client.json(list, .post, stray)
            #expect(response.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
            #expect(problem.invalidParams?.map(\.pointer) == ["/originSectorId"])
            let after = try JSONDecoder().decode(List.self, from: try await client.json(list, .get).body).items.map(
                \.id)
            #expect(after == before)
        }
    }

    @Test func aNewCorridorGetsItsCheckpointsAndALocation() async throws {
        try await withDemo { client in
            let body = try await body(client, name: "New road").replacingOccurrences(
                of: "\"code\":\"C1\"", with: "\"code\":\"C9\""
            )
            .replacingOccurrences(
                of: "\"source\":",
                with:
                    #""checkpoints":[{"name":"Gate","location":{"type":"Point","coordinates":[37.16,36.19]}}],"source":"#
            )
            let response = try await client.json("/api/v1/operations/\(Self.aleppo)/corridors", .post, body)
            #expect(response.status == .created)
            let location = try #require(response.headers[.location])
            let read = try JSONDecoder().decode(Corridor.self, from: try await client.json(location, .get).body)
            #expect(read.code == "C9")
            #expect(read.checkpoints.map(\.name) == ["Gate"])
        }
    }

    @Test func anOverrideBlocksTheCorridorAndRaisesItsETag() async throws {
        try await withDemo { client in
            let override = #"""
                {"state":"blocked","from":"2016-10-20T09:00:00+03:00","until":"2016-10-20T12:00:00+03:00",
                 "reason":"Road cut by fighting","source":{"name":"SARC team 1","kind":"monitor"}}
                """#
            let response = try await client.json(Self.c1URI + "/overrides", .post, override)
            #expect(response.status == .created)
            #expect(response.headers[.eTag] == #""2""#)
            let during = try await client.json(Self.c1URI + "?at=2016-10-20T10:00:00%2B03:00", .get)
            let corridor = try JSONDecoder().decode(Corridor.self, from: during.body)
            #expect(corridor.status.state == "blocked")
            #expect(corridor.status.explanation.contains("Road cut by fighting"))
            let inverted = override.replacingOccurrences(of: "12:00:00", with: "08:00:00")
            let refused = try await client.json(Self.c1URI + "/overrides", .post, inverted)
            #expect(refused.status == .unprocessableContent)
            #expect(
                try JSONDecoder().decode(ProblemDocument.self, from: refused.body).invalidParams?.map(\.pointer) == [
                    "/until"
                ])
        }
    }
}
