import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Tallies over HTTP: each id stored once, replays answered with the stored tally,
/// conflicts refused with it, batches answered item by item.
@Suite("Tally routes")
struct TallyRoutesTests {
    static let tallies = "\(ResourceRoutesTests.operation)/tallies"
    static let checkpoint = "74487202-ed62-4543-b881-87588ac1328f"

    static func body(id: UUID, people: Int = 40, checkpoint: String = checkpoint, supersedes: UUID? = nil) -> String {
        #"""
        {"id":"\#(id.uuidString.lowercased())","checkpointId":"\#(checkpoint)",
         "interval":{"start":"2016-10-20T09:00:00+03:00","end":"2016-10-20T09:15:00+03:00"},"direction":"outbound",
         "counts":[{"group":"civilians","people":\#(people),
                    "breakdown":{"female":{"children":10,"adults":8,"elderly":2},"male":{"children":10,"adults":\#(people - 30),"elderly":0}}}],
         \#(supersedes.map { #""supersedes":"\#($0.uuidString.lowercased())","# } ?? "")
         "source":{"name":"Monitor team 1","kind":"monitor"}}
        """#
    }

    struct Tally: Decodable {
        let id: String
        let supersededBy: String?
    }
    struct TallyList: Decodable {
        let items: [Tally]
        let nextCursor: String?
    }
    struct Conflict: Decodable { let status: Int, stored: Tally }
    struct BatchResult: Decodable {
        struct Item: Decodable {
            let index: Int
            let outcome: String
            let problem: ProblemDocument?
        }
        let results: [Item]
    }

    func all(_ client: some TestClientProtocol, query: String = "") async throws -> [Tally] {
        var items: [Tally] = []
        var cursor: String?
        repeat {
            let uri = "\(Self.tallies)?limit=7\(query)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try JSONDecoder().decode(TallyList.self, from: try await client.json(uri, .get).body)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    @Test func aNewIdIs201TheSameContentIsAReplayAndOtherContentIs409() async throws {
        try await withDemo { client in
            let id = UUID()
            let before = try await all(client).count
            #expect(try await client.json(Self.tallies, .post, Self.body(id: id)).status == .created)
            #expect(try await client.json(Self.tallies, .post, Self.body(id: id)).status == .ok)
            let conflict = try await client.json(Self.tallies, .post, Self.body(id: id, people: 41))
            #expect(conflict.status == .conflict)
            #expect(conflict.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let stored = try JSONDecoder().decode(Conflict.self, from: conflict.body).stored
            #expect(stored.id == id.uuidString.lowercased())
            #expect(try await all(client).count == before + 1)
        }
    }

    @Test func aBatchIsAnsweredItemByItemAndKeepsTheGoodOnes() async throws {
        try await withDemo { client in
            let stored = UUID()
            _ = try await client.json(Self.tallies, .post, Self.body(id: stored))
            let before = try await all(client).count
            let fresh = [UUID(), UUID()]
            let items = [
                Self.body(id: fresh[0]), Self.body(id: stored), Self.body(id: stored, people: 45),
                Self.body(id: UUID(), checkpoint: UUID().uuidString.lowercased()), Self.body(id: fresh[1]),
                Self.body(id: fresh[0]),
            ]
            let response = try await client.json(
                "\(Self.tallies)/batch", .post, #"{"items":[\#(items.joined(separator: ","))]}"#)
            #expect(response.status == .ok)
            let results = try JSONDecoder().decode(BatchResult.self, from: response.body).results
            #expect(results.map(\.outcome) == ["created", "replayed", "conflict", "invalid", "created", "replayed"])
            #expect(results.map(\.index) == Array(0..<6))
            #expect(results[3].problem?.invalidParams?.map(\.pointer) == ["/checkpointId"])
            #expect(try await all(client).count == before + 2)
        }
    }

    @Test func fiveIdenticalSubmissionsRacingStoreOneRowEachRound() async throws {
        try await withDemo { client in
            let before = try await all(client).count
            for _ in 0..<100 {
                let body = Self.body(id: UUID())
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<5 {
                        group.addTask { try await client.json(Self.tallies, .post, body).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1)
                #expect(statuses.filter { $0 == .ok }.count == 4)
            }
            #expect(try await all(client).count == before + 100)
        }
    }

    @Test func aCorrectionNamesWhatItSupersedesAndBothStayListed() async throws {
        try await withDemo { client in
            let original = UUID()
            let correction = UUID()
            // The correction arrives first, as it may from a device that was offline.
            #expect(
                try await client.json(Self.tallies, .post, Self.body(id: correction, people: 42, supersedes: original))
                    .status == .created)
            #expect(try await client.json(Self.tallies, .post, Self.body(id: original)).status == .created)
            let listed = try await all(client, query: "&checkpointId=\(Self.checkpoint)")
            let entry = try #require(listed.first { $0.id == original.uuidString.lowercased() })
            #expect(entry.supersededBy == correction.uuidString.lowercased())
            #expect(Set(listed.map(\.id)).count == listed.count)
        }
    }
}
