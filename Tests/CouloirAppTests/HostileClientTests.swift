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

/// What a hostile client found, each now answered as it should be.
@Suite("A hostile client's findings")
struct HostileClientTests {
    static let operation = AccessRoutesTests.operation
    static let corridor = AccessRoutesTests.scenario.corridors[0]

    @Test func aTallyIdTakenByAnotherOrganisationRevealsNothingOfItsTally() async throws {
        try await withDemoServer { admin, store in
            let id = UUID()
            let elsewhere = AccessRoutesTests.scenario.corridors[1].checkpoints[0].id.description
            let theirs = TallyRoutesTests.body(id: id, checkpoint: elsewhere)
            #expect(try await admin.json(TallyRoutesTests.tallies, .post, theirs).status == .created)
            let phone = admin.with(secret: try await AccessRoutesTests().token(.monitor, in: store).secret)
            let mine = TallyRoutesTests.body(id: id, checkpoint: Self.corridor.checkpoints[0].id.description)
            let single = try await phone.json(TallyRoutesTests.tallies, .post, mine)
            #expect(single.status == .conflict)
            #expect(!String(buffer: single.body).contains("\"stored\""), "\(String(buffer: single.body))")
            #expect(!String(buffer: single.body).contains(elsewhere))
            let batch = try await phone.json(TallyRoutesTests.tallies + "/batch", .post, #"{"items":[\#(mine)]}"#)
            #expect(batch.status == .ok)
            #expect(String(buffer: batch.body).contains(#""conflict""#))
            #expect(!String(buffer: batch.body).contains(elsewhere), "\(String(buffer: batch.body))")
            // Whoever may read it still sees the tally stored.
            let again = try await admin.json(TallyRoutesTests.tallies, .post, mine)
            #expect(String(buffer: again.body).contains(elsewhere))
        }
    }

    @Test func aMonitorSeesButCannotRewriteAnotherOrganisationsIncidentOnItsCorridor() async throws {
        try await withDemoServer { admin, store in
            let report = #"""
                {"kind":"obstruction","occurredAt":"2016-10-21T11:05:00+03:00","timePrecision":"hour",
                 "place":{"corridorId":"\#(Self.corridor.id)"},"placePrecision":"area","severity":"high",
                 "summary":"Residents prevented from leaving","reportedBy":"Coordination cell","source":\#(ResourceRoutesTests.source)}
                """#
            let created = try await admin.json(Self.operation + "/incidents", .post, report)
            let location = try #require(created.headers[.location])
            let phone = admin.with(secret: try await AccessRoutesTests().token(.monitor, in: store).secret)
            #expect(try await phone.json(location, .get).status == .ok, "on its corridor, it sees the report")
            let rewritten = report.replacingOccurrences(of: "Residents prevented", with: "Nobody prevented")
            let refused = try await phone.json(location, .put, rewritten, headers: [.ifMatch: #""1""#])
            #expect(refused.status == .forbidden)
            #expect(try await admin.json(location, .get).headers[.eTag] == #""1""#, "nothing changed")
            // Its own report, it amends.
            let own = try await phone.json(Self.operation + "/incidents", .post, report)
            let ownLocation = try #require(own.headers[.location])
            #expect(
                try await phone.json(ownLocation, .put, rewritten, headers: [.ifMatch: #""1""#]).status == .ok)
        }
    }

    struct Body: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        var headers: HTTPFields = [.contentType: "application/json"]
        let status: HTTPResponse.Status
        var pointer: String? = nil
    }

    static let party = #"{"name":"Syrian Arab Red Crescent","kind":"ngo"}"#
    static let bodies: [Body] = [
        Body(
            testDescription: "a trailing comma", bytes: Array(#"{"name":"X","kind":"ngo",}"#.utf8), status: .badRequest),
        Body(
            testDescription: "a duplicate key", bytes: Array(#"{"name":"X","kind":"ngo","name":"Y"}"#.utf8),
            status: .badRequest),
        Body(
            testDescription: "UTF-16", bytes: Array(party.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
            status: .badRequest),
        Body(testDescription: "a byte order mark", bytes: [0xEF, 0xBB, 0xBF] + Array(party.utf8), status: .badRequest),
        Body(testDescription: "no content type", bytes: Array(party.utf8), headers: [:], status: .unsupportedMediaType),
        Body(
            testDescription: "gzip without support", bytes: Array(party.utf8),
            headers: [.contentType: "application/json", .contentEncoding: "gzip"], status: .unsupportedMediaType),
        Body(
            testDescription: "another charset", bytes: Array(party.utf8),
            headers: [.contentType: "application/json; charset=utf-16"], status: .unsupportedMediaType),
        Body(
            testDescription: "an escaped NUL in a name",
            bytes: Array(#"{"name":"Verified figure\u0000 -- NOT REALLY","kind":"ngo"}"#.utf8),
            status: .unprocessableContent, pointer: "/name"),
        Body(
            testDescription: "a raw control character", bytes: Array("{\"name\":\"a\u{01}b\",\"kind\":\"ngo\"}".utf8),
            status: .unprocessableContent, pointer: "/name"),
        // Most strings are read where they lie, without an escape: each control
        // character is refused there as it is after an escape.
        Body(
            testDescription: "a raw C1 control (NEL, 0xC2 0x85)",
            bytes: Array(#"{"name":"a"#.utf8) + [0xC2, 0x85] + Array(#"b","kind":"ngo"}"#.utf8),
            status: .unprocessableContent, pointer: "/name"),
        Body(
            testDescription: "a raw DEL", bytes: Array("{\"name\":\"a\u{7F}b\",\"kind\":\"ngo\"}".utf8),
            status: .unprocessableContent, pointer: "/name"),
        Body(
            testDescription: "an escaped control after plain text",
            bytes: Array(#"{"name":"plain text then \u0085","kind":"ngo"}"#.utf8),
            status: .unprocessableContent, pointer: "/name"),
        Body(
            testDescription: "a control character in a member's name",
            bytes: Array("{\"na\u{01}me\":\"a\",\"kind\":\"ngo\"}".utf8), status: .unprocessableContent),
        Body(
            testDescription: "a member named twice, once escaped",
            bytes: Array(#"{"name":"a","n\u0061me":"b","kind":"ngo"}"#.utf8), status: .badRequest),
        Body(
            testDescription: "Arabic, French and a Latin-1 letter (0xC2 0xA0 and 0xC3 0xA9 are no controls)",
            bytes: Array(#"{"name":"الهلال الأحمر"#.utf8) + [0xC2, 0xA0] + Array(#"— Société","kind":"ngo"}"#.utf8),
            status: .created),
        Body(testDescription: "strict and valid", bytes: Array(party.utf8), status: .created),
    ]

    @Test(arguments: bodies)
    func onlyStrictJSONInUTF8IsRead(_ body: Body) async throws {
        try await withDemo { client in
            let response = try await client.execute(
                uri: Self.operation + "/parties", method: .post, headers: body.headers,
                body: ByteBuffer(bytes: body.bytes)
            ) { $0 }
            #expect(response.status == body.status, "\(String(buffer: response.body))")
            if body.status != .created {
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            if let pointer = body.pointer {
                let problem = try JSONDecoder().decode(ProblemDocument.self, from: response.body)
                #expect(problem.invalidParams?.map(\.pointer) == [pointer])
            }
        }
    }

    @Test func aCursorTheServerDidNotHandOutIsRefused() async throws {
        try await withDemo { client in
            struct Page: Decodable { let nextCursor: String? }
            let first = try await client.json(Self.operation + "/parties?limit=1", .get)
            let cursor = try #require(try JSONDecoder().decode(Page.self, from: first.body).nextCursor)
            #expect(try await client.json(Self.operation + "/parties?limit=1&cursor=\(cursor)", .get).status == .ok)
            let forged = Data(#"{"list":"parties","key":["A","0"]}"#.utf8).base64EncodedString()
                .replacingOccurrences(of: "=", with: "")
            // The last character carries two unused bits: a change there alone must not pass
            // for the cursor handed out, nor must a change to the MAC's first character.
            let lastChanged = String(cursor.dropLast()) + (cursor.last == "A" ? "B" : "A")
            let mac = try #require(cursor.firstIndex(of: ".")).utf16Offset(in: cursor) + 1
            var firstOfMAC = Array(cursor)
            firstOfMAC[mac] = firstOfMAC[mac] == "A" ? "B" : "A"
            let bads = [forged, lastChanged, String(firstOfMAC), cursor.replacingOccurrences(of: ".", with: "")]
            for bad in bads {
                let refused = try await client.json(Self.operation + "/parties?limit=1&cursor=\(bad)", .get)
                #expect(refused.status == .unprocessableContent, "\(bad)")
            }
        }
    }

    /// A year 10000 is no RFC 3339 date-time at all (400); years 9999 and 1 are, but no
    /// pause was ever in them (422).
    @Test(arguments: [
        ("10000-01-01T00:00:00Z", HTTPResponse.Status.badRequest), ("9999-12-31T23:00:00Z", .unprocessableContent),
        ("0001-01-01T00:00:00Z", .unprocessableContent), ("1900-01-01T00:30:00+01:00", .unprocessableContent),
    ])
    func anInstantOutsideThePlausibleYearsIsRefused(_ instant: String, _ status: HTTPResponse.Status) async throws {
        try await withDemo { client in
            let body = TallyRoutesTests.body(id: UUID()).replacingOccurrences(
                of: "2016-10-20T09:00:00+03:00", with: instant)
            let response = try await client.json(TallyRoutesTests.tallies, .post, body)
            #expect(response.status == status, "\(String(buffer: response.body))")
            let query = instant.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: "+", with: "%2B")
            let read = try await client.json(Self.operation + "/corridors?at=\(query)", .get)
            #expect(read.status == status, "\(String(buffer: read.body))")
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: read.body)
            #expect(problem.invalidParams?.map(\.pointer) == ["at"])
            let batch = try await client.json(TallyRoutesTests.tallies + "/batch", .post, #"{"items":[]}"#)
            #expect(batch.status == .unprocessableContent, "an empty batch is refused")
        }
    }

    @Test func aProblemSaysWhatIsWrongInTheProductsWordsNotSwiftTypes() async throws {
        try await withDemo { client in
            for body in [
                #"{"name":5,"kind":"ngo"}"#, #"{"name":"X","kind":"warlord"}"#, #"{"name":"X","kind":"ngo","x":[1]}"#,
            ] {
                let response = try await client.json(Self.operation + "/parties", .post, body)
                #expect(response.status == .unprocessableContent || response.status == .badRequest)
                let text = String(buffer: response.body)
                for swift in ["Dictionary", "Swift.", "Cannot initialize", "expected String", "Optional<"] {
                    #expect(!text.contains(swift), "\(body): \(text)")
                }
            }
        }
    }
}
