import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every resource of an operation over HTTP: created with an ETag, and refused with the
/// right problem for each class of error, storing nothing.
@Suite("Resource routes")
struct ResourceRoutesTests {
    static let operation = "/api/v1/operations/81a1e60b-caec-4727-b4fc-5ece7f5570d0"
    static let corridor = "f70f5db3-645b-4964-b0cd-7f1f0fd41573"
    static let party = "e9a6ac06-cedf-41f7-8116-50c8bf4c7114"
    static let source = #"{"name":"Coordination cell","kind":"coordinator"}"#

    struct Resource: Sendable, CustomTestStringConvertible {
        let path: String
        let valid: String
        /// A body that is well-formed JSON of the right shape but breaks a rule.
        let invalid: String
        /// The body of a `PUT`, when it differs from `valid`.
        var replacement: String?

        var testDescription: String { path }
    }

    static let resources = [
        Resource(
            path: "parties", valid: #"{"name":"Syrian Arab Red Crescent","kind":"redCrossRedCrescent"}"#,
            invalid: #"{"name":"   ","kind":"ngo"}"#),
        Resource(
            path: "sectors",
            valid: #"""
                {"name":"Old City","boundary":{"type":"Polygon","coordinates":[[[37.15,36.2],[37.17,36.2],[37.17,36.22],[37.15,36.2]]]},
                 "population":{"value":1000,"low":800,"high":1500,"asOf":"2016-10-15","source":\#(source)},
                 "control":[{"partyId":"\#(party)","since":"2016-07-01T00:00:00+03:00","source":\#(source)}]}
                """#,
            invalid: #"""
                {"name":"Open ring","boundary":{"type":"Polygon","coordinates":[[[37.15,36.2],[37.17,36.2],[37.17,36.22],[37.16,36.2]]]}}
                """#),
        Resource(
            path: "pauses",
            valid: #"""
                {"name":"November pause","windows":[{"kind":"daily","firstDay":"2016-11-04","lastDay":"2016-11-06","opens":"09:00","closes":"19:00"}],
                 "corridorIds":["\#(corridor)"],"proposedAt":"2016-11-01T08:00:00+03:00","source":\#(source)}
                """#,
            invalid: #"""
                {"name":"Nowhere","windows":[{"kind":"fixed","start":"2016-11-04T09:00:00+03:00","end":"2016-11-04T08:00:00+03:00"}],
                 "corridorIds":["\#(UUID().uuidString.lowercased())"],"proposedAt":"2016-11-01T08:00:00+03:00","source":\#(source)}
                """#),
        Resource(
            path: "checkpoints",
            valid:
                #"{"corridorId":"\#(corridor)","name":"Gate","location":{"type":"Point","coordinates":[37.16,36.21]}}"#,
            invalid:
                #"{"corridorId":"\#(corridor)","name":"Gate","location":{"type":"Point","coordinates":[200,36.21]}}"#,
            replacement: #"{"name":"Gate","location":{"type":"Point","coordinates":[37.16,36.21]}}"#),
        Resource(
            path: "incidents",
            valid: #"""
                {"kind":"pauseViolation","occurredAt":"2016-10-21T11:05:00+03:00","timePrecision":"hour",
                 "place":{"corridorId":"\#(corridor)"},"placePrecision":"area","severity":"high",
                 "summary":"Shelling near the crossing","reportedBy":"Monitor team 2","source":\#(source)}
                """#,
            invalid: #"""
                {"kind":"casualties","occurredAt":"2016-10-21T11:05:00+03:00","timePrecision":"hour",
                 "place":{"point":{"type":"Point","coordinates":[37.16,36.21]}},"placePrecision":"exact","severity":"high",
                 "summary":"Shelling","killed":-1,"reportedBy":"Monitor team 2","source":\#(source)}
                """#),
        Resource(
            path: "claims",
            valid: #"""
                {"kind":"peopleEvacuated","value":48,"statement":"48 personnes ont quitté","madeAt":"2016-10-20T18:00:00+03:00","source":\#(source)}
                """#,
            invalid:
                #"{"kind":"statement","value":3,"statement":"Flot continu","madeAt":"2016-10-20T18:00:00+03:00","source":\#(source)}"#
        ),
    ]

    struct List: Decodable {
        struct Item: Decodable { let id: String }
        let items: [Item]
    }

    func count(_ resource: Resource, _ client: some TestClientProtocol) async throws -> Int {
        let response = try await client.json("\(Self.operation)/\(resource.path)?limit=200", .get)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(List.self, from: response.body).items.count
    }

    @Test(arguments: resources)
    func aCreatedRecordReadsBackWithItsETagAndLocation(_ resource: Resource) async throws {
        try await withDemo { client in
            let before = try await count(resource, client)
            let created = try await client.json("\(Self.operation)/\(resource.path)", .post, resource.valid)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == #""1""#)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("\(Self.operation)/\(resource.path)/"))
            let read = try await client.json(location, .get)
            #expect(read.status == .ok)
            #expect(read.headers[.eTag] == #""1""#)
            #expect(Data(read.body.readableBytesView) == Data(created.body.readableBytesView))
            #expect(try await count(resource, client) == before + 1)
        }
    }

    @Test(arguments: resources)
    func everyClassOfErrorIsAProblemAndStoresNothing(_ resource: Resource) async throws {
        try await withDemo { client in
            let collection = "\(Self.operation)/\(resource.path)"
            let created = try await client.json(collection, .post, resource.valid)
            let location = try #require(created.headers[.location])
            let before = try await count(resource, client)
            let replacement = resource.replacement ?? resource.valid
            let oversized = #"{"name":""# + String(repeating: "x", count: 1_100_000) + #""}"#
            let attempts: [(String, HTTPResponse.Status, TestResponse)] = [
                ("malformed JSON", .badRequest, try await client.json(collection, .post, #"{"name": "#)),
                ("invalid record", .unprocessableContent, try await client.json(collection, .post, resource.invalid)),
                ("unknown field", .unprocessableContent, try await client.json(collection, .post, #"{"ownerId":"x"}"#)),
                (
                    "wrong content type", .unsupportedMediaType,
                    try await client.json(collection, .post, resource.valid, headers: [.contentType: "text/plain"])
                ),
                ("body over 1 MiB", .contentTooLarge, try await client.json(collection, .post, oversized)),
                ("no If-Match", .preconditionRequired, try await client.json(location, .put, replacement)),
                (
                    "stale If-Match", .preconditionFailed,
                    try await client.json(location, .put, replacement, headers: [.ifMatch: #""9""#])
                ),
                ("unknown id", .notFound, try await client.json("\(collection)/\(UUID())", .get)),
                ("DELETE", .methodNotAllowed, try await client.json(location, .delete)),
            ]
            for (what, status, response) in attempts {
                #expect(response.status == status, "\(what)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(what)")
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
                #expect(problem.status == Int(status.code), "\(what)")
                if status == .unprocessableContent {
                    #expect(problem.invalidParams?.isEmpty == false, "\(what) names the field at fault")
                }
            }
            #expect(try await count(resource, client) == before)
            let read = try await client.json(location, .get)
            #expect(read.headers[.eTag] == #""1""#)
            #expect(Data(read.body.readableBytesView) == Data(created.body.readableBytesView))
        }
    }

    @Test(arguments: resources)
    func anUpdateFromTheCurrentETagLands(_ resource: Resource) async throws {
        try await withDemo { client in
            let created = try await client.json("\(Self.operation)/\(resource.path)", .post, resource.valid)
            let location = try #require(created.headers[.location])
            let replacement = resource.replacement ?? resource.valid
            let updated = try await client.json(location, .put, replacement, headers: [.ifMatch: #""1""#])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == #""2""#)
        }
    }

    @Test func anInstantFinerThanAMillisecondReadsBackAsCreated() async throws {
        try await withDemo { client in
            let body = #"""
                {"kind":"statement","statement":"Flot continu","madeAt":"2016-10-20T18:00:00.1234567+03:00",
                 "source":\#(Self.source)}
                """#
            let created = try await client.json("\(Self.operation)/claims", .post, body)
            #expect(created.status == .created)
            let read = try await client.json(try #require(created.headers[.location]), .get)
            #expect(Data(read.body.readableBytesView) == Data(created.body.readableBytesView))
            #expect(String(buffer: created.body).contains("2016-10-20T15:00:00.123Z"))
        }
    }
}
