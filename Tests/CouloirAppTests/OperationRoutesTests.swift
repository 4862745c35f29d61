import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Creating and editing operations: ETags, If-Match, and errors that change nothing.
@Suite("Operation routes")
struct OperationRoutesTests {
    struct Operation: Decodable {
        let id: String
        let name: String
        let timeZone: String
    }
    struct OperationList: Decodable { let items: [Operation] }

    static let valid = #"{"name":"Mosul, 2017","area":"Mosul","timeZone":"Asia/Baghdad","languages":["ar","en"]}"#

    func operations(_ client: some TestClientProtocol) async throws -> [Operation] {
        try JSONDecoder().decode(OperationList.self, from: try await client.json("/api/v1/operations", .get).body).items
    }

    func create(_ client: some TestClientProtocol) async throws -> (location: String, etag: String) {
        let response = try await client.json("/api/v1/operations", .post, Self.valid)
        #expect(response.status == .created)
        return (try #require(response.headers[.location]), try #require(response.headers[.eTag]))
    }

    @Test func aCreatedOperationCanBeReadWithItsETag() async throws {
        try await withDemo { client in
            let (location, etag) = try await create(client)
            #expect(etag == #""1""#)
            let read = try await client.json(location, .get)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == etag)
            #expect(try JSONDecoder().decode(Operation.self, from: read.body).timeZone == "Asia/Baghdad")
        }
    }

    @Test func anUpdateWithTheCurrentETagLandsAndRaisesIt() async throws {
        try await withDemo { client in
            let (location, etag) = try await create(client)
            let body = Self.valid.replacingOccurrences(of: "Mosul, 2017", with: "Mosul, 2016–2017")
            let updated = try await client.json(location, .put, body, headers: [.ifMatch: etag])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == #""2""#)
            #expect(try JSONDecoder().decode(Operation.self, from: updated.body).name == "Mosul, 2016–2017")
        }
    }

    @Test func anUpdateWithoutIfMatchIs428AndChangesNothing() async throws {
        try await withDemo { client in
            let (location, _) = try await create(client)
            let body = Self.valid.replacingOccurrences(of: "Mosul, 2017", with: "Changed")
            let response = try await client.json(location, .put, body)
            #expect(response.status == .preconditionRequired)
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let read = try await client.json(location, .get)
            #expect(read.headers[.eTag] == #""1""#)
        }
    }

    @Test func anUpdateWithAStaleETagIs412AndChangesNothing() async throws {
        try await withDemo { client in
            let (location, etag) = try await create(client)
            let first = Self.valid.replacingOccurrences(of: "Mosul, 2017", with: "First")
            let firstUpdate = try await client.json(location, .put, first, headers: [.ifMatch: etag])
            #expect(firstUpdate.status == .ok)
            let second = Self.valid.replacingOccurrences(of: "Mosul, 2017", with: "Second")
            let stale = try await client.json(location, .put, second, headers: [.ifMatch: etag])
            #expect(stale.status == .preconditionFailed)
            let read = try await client.json(location, .get)
            #expect(read.headers[.eTag] == #""2""#)
            #expect(try JSONDecoder().decode(Operation.self, from: read.body).name == "First")
        }
    }

    @Test func ofTwoClientsEditingFromOneETagExactlyOneSucceeds() async throws {
        try await withDemo { client in
            let (location, etag) = try await create(client)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for name in ["Client A", "Client B"] {
                    group.addTask {
                        let body = Self.valid.replacingOccurrences(of: "Mosul, 2017", with: name)
                        return try await client.json(location, .put, body, headers: [.ifMatch: etag]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .preconditionFailed])
            let read = try await client.json(location, .get)
            #expect(read.headers[.eTag] == #""2""#)
            #expect(["Client A", "Client B"].contains(try JSONDecoder().decode(Operation.self, from: read.body).name))
        }
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let body: String
        let contentType: String
        let status: HTTPResponse.Status
        let pointer: String?
    }

    static let badRequests = [
        BadRequest(
            testDescription: "malformed JSON", body: #"{"name":"#, contentType: "application/json",
            status: .badRequest, pointer: nil),
        BadRequest(
            testDescription: "wrong content type", body: valid, contentType: "text/plain",
            status: .unsupportedMediaType, pointer: nil),
        BadRequest(
            testDescription: "an unknown time zone",
            body: valid.replacingOccurrences(of: "Asia/Baghdad", with: "Baghdad"),
            contentType: "application/json", status: .unprocessableContent, pointer: "/timeZone"),
        BadRequest(
            testDescription: "a missing field", body: #"{"name":"X","area":"Y","languages":["en"]}"#,
            contentType: "application/json", status: .unprocessableContent, pointer: "/timeZone"),
        BadRequest(
            testDescription: "a body over 1 MiB",
            body: valid.replacingOccurrences(of: "Mosul", with: String(repeating: "x", count: 1 << 20)),
            contentType: "application/json", status: .contentTooLarge, pointer: nil),
    ]

    @Test("a bad request is a problem document and stores nothing", arguments: badRequests)
    func aBadRequestChangesNothing(_ bad: BadRequest) async throws {
        try await withDemo { client in
            let before = try await operations(client)
            let response = try await client.json(
                "/api/v1/operations", .post, bad.body, headers: [.contentType: bad.contentType])
            #expect(response.status == bad.status)
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
            #expect(problem.status == Int(bad.status.code))
            if let pointer = bad.pointer {
                #expect(problem.invalidParams?.map(\.pointer) == [pointer])
            }
            let after = try await operations(client)
            #expect(after.map(\.id) == before.map(\.id))
        }
    }

    /// An id is the server's: one sent in a body, as a record read would carry it, is
    /// ignored, so that it can name nothing that exists.
    @Test func anIdInTheBodyOfACreationIsIgnoredAndTouchesNothing() async throws {
        try await withDemo { client in
            let existing = "81a1e60b-caec-4727-b4fc-5ece7f5570d0"
            let before = try await client.json("/api/v1/operations/\(existing)", .get)
            let body = Self.valid.replacingOccurrences(of: "{", with: #"{"id":"\#(existing)","#)
            let created = try await client.json("/api/v1/operations", .post, body)
            #expect(created.status == .created)
            let location = try #require(created.headers[.location])
            #expect(!location.hasSuffix(existing))
            let after = try await client.json("/api/v1/operations/\(existing)", .get)
            #expect(after.headers[.eTag] == before.headers[.eTag])
            #expect(Data(after.body.readableBytesView) == Data(before.body.readableBytesView))
        }
    }

    @Test func anUnknownOperationIs404ForReadAndUpdate() async throws {
        try await withDemo { client in
            let uri = "/api/v1/operations/\(UUID())"
            let read = try await client.json(uri, .get)
            let update = try await client.json(uri, .put, Self.valid, headers: [.ifMatch: #""1""#])
            #expect(read.status == .notFound)
            #expect(update.status == .notFound)
        }
    }
}
