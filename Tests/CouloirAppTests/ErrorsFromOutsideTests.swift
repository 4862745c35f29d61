import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

/// What a client from outside found wrong, each answered as it should be now.
@Suite("Errors seen from outside")
struct ErrorsFromOutsideTests {
    static let operation = ResourceRoutesTests.operation

    @Test func aTallyConflictAskedForAsJSONIsStill409WithTheStoredTally() async throws {
        try await withDemo { client in
            let id = UUID()
            #expect(
                try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: id)).status == .created
            )
            for accept in ["application/json", "text/html", "application/xml;q=0.9"] {
                let conflict = try await client.json(
                    TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: id, people: 41),
                    headers: [.accept: accept])
                #expect(conflict.status == .conflict, "Accept: \(accept)")
                let problem = try JSONDecoder().decode(TallyRoutesTests.Conflict.self, from: conflict.body)
                #expect(problem.stored.id == id.uuidString.lowercased(), "Accept: \(accept)")
            }
            let missing = try await client.json(
                "\(Self.operation)/parties/\(UUID())", .get, headers: [.accept: "application/json"])
            #expect(missing.status == .notFound)
        }
    }

    @Test func aStorageFailureUnderARequestIsLoggedWithTheIdTheAnswerGives() async throws {
        let log = CapturedLog()
        try await withDemoDatabase(serverLogger: log.logger(), logLevel: .trace) { client, _, pool in
            // The database breaks under the server: the table it reads is gone.
            try await pool.withConnection { try await $0.raw("ALTER TABLE parties RENAME TO parties_gone").run() }
            let response = try await client.json("\(Self.operation)/parties", .get)
            #expect(response.status == .internalServerError)
            #expect(response.headers[.contentType] == "application/problem+json")
            struct Failure: Decodable { let status: Int, requestId: String }
            let failure = try JSONDecoder().decode(Failure.self, from: response.body)
            #expect(failure.status == 500)
            let logged = log.written.filter { $0.message == "request.failed" }
            #expect(logged.count == 1)
            #expect(logged.first?.metadata["hb.request.id"] == failure.requestId)
            #expect(logged.first?.metadata["error"]?.contains("parties") == true, "the underlying error is logged")
            let everything = log.written.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(!everything.contains(client.secret), "no log line holds the request's token")
        }
    }

    /// Each record as a read returns it, one field changed, sent back with its ETag.
    @Test(arguments: [
        ("", "name"), ("/parties", "name"), ("/sectors", "name"), ("/corridors", "name"),
        ("/checkpoints", "name"), ("/pauses", "name"), ("/incidents", "summary"), ("/claims", "statement"),
    ])
    func aRecordReadCanBeSentBackChanged(collection: String, field: String) async throws {
        try await withDemo { client in
            let location: String
            if collection.isEmpty {
                location = Self.operation
            } else if collection == "/pauses" {
                // The demo's pause has been in force, and its terms are history: a new one.
                let pause = try #require(ResourceRoutesTests.resources.first { $0.path == "pauses" })
                let created = try await client.json(Self.operation + collection, .post, pause.valid)
                location = try #require(created.headers[.location])
            } else {
                let list = try await client.json(Self.operation + collection + "?limit=1", .get)
                let first = try #require(
                    try JSONDecoder().decode(ResourceRoutesTests.List.self, from: list.body).items.first)
                location = Self.operation + collection + "/" + first.id
            }
            let read = try await client.json(location, .get)
            #expect(read.status == .ok)
            let eTag = try #require(read.headers[.eTag])
            var record = try #require(
                try JSONSerialization.jsonObject(with: Data(read.body.readableBytesView)) as? [String: Any])
            record[field] = "\(record[field] ?? "") (revised)"
            let sent = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            let updated = try await client.json(location, .put, sent, headers: [.ifMatch: eTag])
            #expect(updated.status == .ok, "\(String(buffer: updated.body))")
            let after = try JSONSerialization.jsonObject(with: Data(updated.body.readableBytesView)) as? [String: Any]
            #expect((after?[field] as? String)?.hasSuffix("(revised)") == true)
            #expect(after?["id"] as? String == record["id"] as? String, "the id stays the record's")
        }
    }

    @Test func anIdSentBackIsTheServersToKeep() async throws {
        try await withDemo { client in
            let list = try await client.json(Self.operation + "/parties?limit=1", .get)
            let first = try #require(
                try JSONDecoder().decode(ResourceRoutesTests.List.self, from: list.body).items.first)
            let location = Self.operation + "/parties/" + first.id
            let body = #"{"id":"\#(UUID())","name":"Renamed","kind":"ngo"}"#
            let updated = try await client.json(location, .put, body, headers: [.ifMatch: #""1""#])
            #expect(updated.status == .ok)
            #expect(try await client.json(location, .get).status == .ok)
            #expect(try await client.json("\(Self.operation)/parties?limit=200", .get).status == .ok)
        }
    }

    @Test func answersAreNeitherCachedNorSniffedAndTheLogHoldsNoQuery() async throws {
        let log = CapturedLog()
        try await withDemoDatabase(serverLogger: log.logger(), logLevel: .info) { client, _, _ in
            for (path, method) in [
                (Self.operation, HTTPRequest.Method.get), ("/session", .get), ("/api/v1/operations/\(UUID())", .get),
                ("/healthz", .get),
            ] {
                let response = try await client.json(path, method)
                #expect(response.headers[.cacheControl] == "no-store", "\(path)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
            }
            _ = try await client.json(Self.operation + "/parties?access_token=couloir_leaked&limit=5", .get)
            let logged = log.written.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(logged.contains("/parties"), "requests are logged")
            #expect(!logged.contains("couloir_leaked"), "but never their query")
        }
    }
}
