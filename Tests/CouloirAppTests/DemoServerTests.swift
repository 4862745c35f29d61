import CouloirApp
import CouloirCore
import CouloirDemoSetup
import CouloirDomain
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The served demo, through the router, as a client would see it.
@Suite("The demo server")
struct DemoServerTests {
    struct OperationList: Decodable {
        struct Operation: Decodable {
            let id: String
            let name: String
            let timeZone: String
        }
        let items: [Operation]
    }

    struct CorridorList: Decodable {
        struct Corridor: Decodable {
            struct Status: Decodable {
                let state: String
                let explanation: String
                let pauseId: String?
            }
            let code: String
            let allowedGroups: [String]
            let status: Status
        }
        let at: String
        let items: [Corridor]
    }

    func aleppoID(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/api/v1/operations", method: .get) { response in
            #expect(response.status == .ok)
            let list = try JSONDecoder().decode(OperationList.self, from: response.body)
            return try #require(list.items.first { $0.name == "Aleppo, October 2016" }).id
        }
    }

    func corridors(_ client: some TestClientProtocol, at instant: String) async throws -> CorridorList {
        let id = try await aleppoID(client)
        let query = instant.addingPercentEncoding(
            withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-:.")))!
        return try await client.execute(uri: "/api/v1/operations/\(id)/corridors?at=\(query)", method: .get) {
            response in
            #expect(response.status == .ok)
            return try JSONDecoder().decode(CorridorList.self, from: response.body)
        }
    }

    /// The demo's two operations are run by two coordination cells, and neither sees the
    /// other's: each operation's admin lists only its own, and the other answers 404
    /// word for word as an operation that does not exist.
    @Test func eachCoordinationCellSeesItsOwnOperationOnly() async throws {
        try await withDemoServer { client, store in
            let aleppo = try await client.json("/api/v1/operations", .get)
            let aleppoList = try JSONDecoder().decode(OperationList.self, from: aleppo.body)
            #expect(aleppoList.items.map(\.name) == ["Aleppo, October 2016"])
            #expect(aleppoList.items.allSatisfy { $0.timeZone == "Asia/Damascus" })

            let homs = try await store.findOrAddOrganisation(named: DemoLoader.secondCell).organisation
            let secret = try await store.issue(
                AccessToken(organisationID: homs.id, label: "Homs", role: .admin, issuedAt: Date()))
            let other = client.with(secret: secret)
            let homsList = try JSONDecoder().decode(
                OperationList.self, from: try await other.json("/api/v1/operations", .get).body)
            #expect(homsList.items.map(\.name) == ["Palmyra, December 2016"])
            let palmyra = try #require(homsList.items.first?.id)
            for (path, method) in [
                ("", HTTPRequest.Method.get), ("", .put), ("/corridors", .get), ("/parties", .post),
                ("/members", .get), ("/tallies/batch", .post),
            ] {
                let unknown = UUID().uuidString.lowercased()
                let hidden = try await client.json("/api/v1/operations/\(palmyra)\(path)", method, "{}")
                let missing = try await client.json("/api/v1/operations/\(unknown)\(path)", method, "{}")
                #expect(hidden.status == missing.status, "\(method) \(path)")
                #expect(
                    String(buffer: hidden.body).replacingOccurrences(of: palmyra, with: "ID")
                        == String(buffer: missing.body).replacingOccurrences(of: unknown, with: "ID"),
                    "\(method) \(path)")
                #expect(hidden.headers[.contentType] == missing.headers[.contentType])
            }
        }
    }

    @Test func aleppoHasEightCorridorsSixForCiviliansTwoForFighters() async throws {
        try await withDemo { client in
            let list = try await corridors(client, at: "2016-10-20T10:00:00+03:00")
            #expect(list.items.count == 8)
            #expect(list.items.filter { $0.allowedGroups.contains("civilians") }.count == 6)
            #expect(list.items.filter { $0.allowedGroups.contains("fighters") }.count == 2)
        }
    }

    @Test(
        "corridors are open inside a window, closed outside it and during the suspension",
        arguments: [
            ("2016-10-20T10:00:00+03:00", "open"),
            ("2016-10-22T18:30:00+03:00", "open"),
            ("2016-10-20T22:00:00+03:00", "closed"),
            ("2016-10-21T12:00:00+03:00", "closed"),
            ("2016-10-23T10:00:00+03:00", "closed"),
            ("2016-10-19T10:00:00+03:00", "closed"),
        ])
    func statusFollowsThePause(at instant: String, expected: String) async throws {
        try await withDemo { client in
            let list = try await corridors(client, at: instant)
            #expect(list.items.allSatisfy { $0.status.state == expected }, "\(list.items.map(\.status.explanation))")
        }
    }

    @Test func theSuspensionIsExplained() async throws {
        try await withDemo { client in
            let list = try await corridors(client, at: "2016-10-21T12:00:00+03:00")
            #expect(list.items.allSatisfy { $0.status.explanation.hasSuffix("is suspended") })
        }
    }

    @Test func healthIsReadyOnceMigrated() async throws {
        try await withDemo { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("\"ready\""))
            }
        }
    }

    @Test func anUnknownOperationIsAProblemDocument() async throws {
        try await withDemo { client in
            try await client.execute(uri: "/api/v1/operations/\(UUID())/corridors", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
                #expect(problem.status == 404)
            }
        }
    }

    @Test(
        "a malformed instant is refused with a problem naming it",
        arguments: ["yesterday", "2016-10-20", "2016-10-20T10:00:00"])
    func aMalformedInstantIsRefused(_ at: String) async throws {
        try await withDemo { client in
            let id = try await aleppoID(client)
            try await client.execute(uri: "/api/v1/operations/\(id)/corridors?at=\(at)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
                #expect(problem.invalidParams?.map(\.pointer) == ["at"])
                #expect(problem.detail?.contains("'\(at)'") == true)
            }
        }
    }

    @Test(
        "every RFC 3339 form of an instant is read",
        arguments: [
            ("2016-10-20T10:00:00+03:00", "2016-10-20T07:00:00Z"),
            ("2016-10-20t07:00:00z", "2016-10-20T07:00:00Z"),
            ("2016-10-20T10:00:00.250+03:00", "2016-10-20T07:00:00.250Z"),
            ("2016-10-19T14:35:00-20:35", "2016-10-20T11:10:00Z"),
            ("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z"),
        ])
    func instantsInEveryRFC3339Form(_ at: String, utc: String) async throws {
        try await withDemo { client in
            let list = try await corridors(client, at: at)
            #expect(list.at == utc)
        }
    }

    @Test("a known path asked with another method is 405 with Allow", arguments: ["POST", "DELETE", "TRACE", "PATCH"])
    func anUndeclaredMethodIs405(_ method: String) async throws {
        try await withDemo { client in
            let id = try await aleppoID(client)
            try await client.execute(uri: "/api/v1/operations/\(id)", method: HTTPRequest.Method(method)!) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, PUT")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func anUnknownPathIsAProblemDocument() async throws {
        try await withDemo { client in
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func theDocumentsExampleIdsNameTheDemosRecords() async throws {
        try await withDemo { client in
            let document = String(buffer: try await client.json("/api/openapi.yaml", .get).body)
            let aleppo = try await aleppoID(client)
            #expect(document.contains("value: \(aleppo)"))
            let c1 = try await client.json(
                "/api/v1/operations/\(aleppo)/corridors/f70f5db3-645b-4964-b0cd-7f1f0fd41573", .get)
            #expect(c1.status == .ok)
            #expect(document.contains("value: f70f5db3-645b-4964-b0cd-7f1f0fd41573"))
        }
    }

    @Test func theAPIDocumentIsServed() async throws {
        try await withDemo { client in
            try await client.execute(uri: "/api/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1"))
            }
        }
    }
}
