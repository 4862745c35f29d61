import CouloirDomain
import CouloirSQLStorage
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CouloirOpenRosa

/// ODK Collect's requests, shaped as Collect sends them: the form list, the form, and
/// submissions as multipart bodies holding an instance of the served form.
@Suite("OpenRosa")
struct OpenRosaTests {
    static let operation = AccessRoutesTests.aleppo.id
    static let checkpoint = TallyRoutesTests.checkpoint

    /// A device of the demo's field team counting at the first checkpoint of C1.
    func device(_ store: SQLRepository) async throws -> String {
        "/openrosa/key/" + (try await AccessRoutesTests().token(.monitor, in: store).secret)
    }

    /// An instance as Collect serialises it from `tally.xform.xml`.
    static func instance(
        id: String, people: Int = 40, checkpoint: String = checkpoint, cars: Int = 0, deprecated: UUID? = nil,
        formID: String = "couloir-tally-\(operation)"
    ) -> String {
        """
        <?xml version='1.0' ?><data id="\(formID)" version="x" \
        xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms">\
        <checkpoint>\(checkpoint)</checkpoint><start>2016-10-20T09:00:00.000+03:00</start>\
        <end>2016-10-20T09:15:00.000+03:00</end><direction>outbound</direction>\
        <people><group>civilians</group><count>\(people)</count><observed>yes</observed><breakdown>\
        <female_children>10</female_children><female_adults>8</female_adults><female_elderly>2</female_elderly>\
        <male_children>10</male_children><male_adults>\(people - 30)</male_adults><male_elderly>0</male_elderly>\
        </breakdown><unaccompanied/></people>\
        <vehicles><cars>\(cars)</cars><buses/><ambulances/></vehicles>\
        <meta><instanceID>\(id)</instanceID>\(deprecated.map { "<deprecatedID>uuid:\($0)</deprecatedID>" } ?? "")\
        </meta></data>
        """
    }

    /// POSTs `xml` as Collect does: multipart/form-data, the instance in `xml_submission_file`.
    static func submit(_ client: some TestClientProtocol, _ base: String, _ xml: String) async throws -> TestResponse {
        let boundary = "----Collect\(UUID().uuidString.prefix(8))"
        var body = "--\(boundary)\r\n"
        body += "Content-Disposition: form-data; name=\"xml_submission_file\"; filename=\"Tally_2016-10-20.xml\"\r\n"
        body += "Content-Type: text/xml\r\n\r\n\(xml)\r\n--\(boundary)--\r\n"
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        headers[HTTPField.Name("X-OpenRosa-Version")!] = "1.0"
        headers[.date] = "Wed, 02 Dec 2026 07:00:00 GMT"
        return try await client.execute(
            uri: base + "/submission", method: .post, headers: headers, body: ByteBuffer(string: body)
        ) { $0 }
    }

    static func message(_ response: TestResponse) -> String {
        let text = String(buffer: response.body)
        guard let tag = text.range(of: "<message"), let start = text[tag.upperBound...].range(of: ">"),
            let end = text.range(of: "</message>")
        else { return text }
        return String(text[start.upperBound..<end.lowerBound])
    }

    @Test func theFormListHoldsTheDevicesFormWithTheHashOfTheBytesServed() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            var forged = HTTPFields()
            forged[HTTPField.Name("Host")!] = "attacker.example"
            forged[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            let list = try await client.execute(uri: base + "/formList", method: .get, headers: forged) { $0 }
            #expect(list.status == .ok)
            #expect(!String(buffer: list.body).contains("attacker.example"), "links carrying the token ignore Host")
            #expect(list.headers[HTTPField.Name("X-OpenRosa-Version")!] == "1.0")
            let text = String(buffer: list.body)
            #expect(text.components(separatedBy: "<xform>").count == 2, "one operation: \(text)")
            let hash = try #require(text.range(of: "<hash>md5:").map { String(text[$0.upperBound...].prefix(32)) })
            let url = try #require(text.range(of: "<downloadUrl>http://").map { text[$0.upperBound...] })
            let path = String(url[url.firstIndex(of: "/")!..<url.range(of: "</downloadUrl>")!.lowerBound])
            let form = try await client.execute(uri: path, method: .get) { $0 }
            #expect(form.status == .ok)
            let served = Data(buffer: form.body)
            let digest = Insecure.md5Hex(served)
            #expect(digest == hash)
            let xml = String(decoding: served, as: UTF8.self)
            #expect(xml.contains("<name>\(Self.checkpoint)</name>"))
            #expect(xml.components(separatedBy: "<item><name>").count - 1 == 1 + 4, "its one checkpoint, 4 groups")
        }
    }

    @Test func aSubmissionIsCreatedOnceConflictsAreRefusedAndADeprecatedIDCorrects() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            let head = try await client.execute(uri: base + "/submission", method: .head) { $0 }
            #expect(head.status == .noContent)
            #expect(head.headers[HTTPField.Name("X-OpenRosa-Version")!] == "1.0")
            #expect(head.headers[HTTPField.Name("X-OpenRosa-Accept-Content-Length")!] == "1048576")

            let id = UUID()
            let before = try await TallyRoutesTests().all(client).count
            let first = try await Self.submit(client, base, Self.instance(id: "uuid:\(id)"))
            #expect(first.status == .created, "\(String(buffer: first.body))")
            #expect(String(buffer: first.body).contains(#"nature="submit_success""#))
            let again = try await Self.submit(client, base, Self.instance(id: "uuid:\(id)"))
            #expect(again.status == .created, "an identical resend is accepted")
            #expect(Self.message(again).contains("already received"))
            let other = try await Self.submit(client, base, Self.instance(id: "uuid:\(id)", cars: 3))
            #expect(other.status == .conflict)
            #expect(other.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(Self.message(other).contains("uuid:\(id.uuidString.lowercased())"))

            let correction = UUID()
            let corrected = try await Self.submit(
                client, base, Self.instance(id: "uuid:\(correction)", people: 41, deprecated: id))
            #expect(corrected.status == .created)
            let listed = try await TallyRoutesTests().all(client)
            #expect(listed.count == before + 2)
            let original = try #require(listed.first { $0.id == id.uuidString.lowercased() })
            #expect(original.supersededBy == correction.uuidString.lowercased())
        }
    }

    @Test func whatCannotBeATallyIsRefusedWithAMessageTheAppShows() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            let elsewhere = AccessRoutesTests.scenario.corridors.filter { $0.operationID == Self.operation }[1]
            let cases: [(String, HTTPResponse.Status, String)] = [
                (Self.instance(id: ""), .badRequest, "instanceID"),
                (Self.instance(id: "uuid:not-a-uuid"), .badRequest, "instanceID"),
                (Self.instance(id: UUID().uuidString), .badRequest, "instanceID"),
                ("<data", .badRequest, "well-formed"),
                (
                    #"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>"#
                        + Self.instance(id: "uuid:\(UUID())").replacingOccurrences(
                            of: "<?xml version='1.0' ?>", with: ""
                        )
                        .replacingOccurrences(of: "outbound", with: "&x;"),
                    .badRequest, "well-formed"
                ),
                (Self.instance(id: "uuid:\(UUID())", formID: "another-form"), .badRequest, "tally form"),
                (Self.instance(id: "uuid:\(UUID())", people: 29), .unprocessableContent, "group 1"),
                // The JSON API's bounds on instants are the core's, so this face has them too.
                (
                    Self.instance(id: "uuid:\(UUID())").replacingOccurrences(
                        of: "2016-10-20T09:15", with: "9999-10-20T09:15"
                    )
                    .replacingOccurrences(of: "2016-10-20T09:00", with: "9999-10-20T09:00"),
                    .unprocessableContent, "years 1900 to 2199"
                ),
                (
                    Self.instance(id: "uuid:\(UUID())", checkpoint: elsewhere.checkpoints[0].id.description),
                    .unprocessableContent, "checkpoint"
                ),
            ]
            let before = try await TallyRoutesTests().all(client).count
            for (xml, status, words) in cases {
                let response = try await Self.submit(client, base, xml)
                #expect(response.status == status, "\(xml)")
                #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
                #expect(String(buffer: response.body).contains(#"<message nature="error">"#))
                #expect(Self.message(response).contains(words), "\(Self.message(response))")
            }
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=x"
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 10 << 20)
            let tooLarge = try await client.execute(
                uri: base + "/submission", method: .post, headers: headers, body: huge
            ) { $0 }
            #expect(tooLarge.status == .contentTooLarge)
            #expect(String(buffer: tooLarge.body).contains("OpenRosaResponse"))
            #expect(try await TallyRoutesTests().all(client).count == before, "nothing was stored")
        }
    }

    @Test func aStrangerIsChallengedAndARevokedOrUnknownTokenRefused() async throws {
        try await withDemoServer { client, _ in
            let anonymous = try await client.execute(uri: "/openrosa/formList", method: .get) { $0 }
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Basic ") == true)
            var wrong = HTTPFields()
            wrong[.authorization] = "Basic " + Data("monitor@nowhere:guess".utf8).base64EncodedString()
            let refused = try await client.execute(uri: "/openrosa/formList", method: .get, headers: wrong) { $0 }
            #expect(refused.status == .unauthorized)
            let unknown = try await client.execute(uri: "/openrosa/key/couloir_unknown/formList", method: .get) { $0 }
            #expect(unknown.status == .forbidden)
            #expect(String(buffer: unknown.body).contains("OpenRosaResponse"))
        }
    }

    /// The token in a device's server URL is in no log line, at any level.
    @Test func theTokenInTheServerURLIsNeverLogged() async throws {
        let log = CapturedLog()
        try await withDemoDatabase(serverLogger: log.logger(), logLevel: .trace) { client, store, _ in
            let base = try await device(store)
            let secret = String(base.dropFirst("/openrosa/key/".count))
            #expect(try await client.execute(uri: base + "/formList", method: .get) { $0 }.status == .ok)
            #expect(try await Self.submit(client, base, Self.instance(id: "uuid:\(UUID())")).status == .created)
            // A server URL typed with a doubled slash reaches the same face, and is redacted too.
            #expect(try await client.execute(uri: "/" + base + "/formList", method: .get) { $0 }.status == .ok)
            #expect(
                try await client.execute(uri: "//" + base + "//formList", method: .get) { $0 }.status
                    != .internalServerError)
            let lines = log.written.map { "\($0.message) \($0.metadata)" }
            #expect(lines.contains { $0.contains("/openrosa/key/[redacted]/submission") })
            #expect(!lines.contains { $0.contains(secret) })
        }
    }

    /// The same tally by the JSON API, the batch endpoint and OpenRosa: one row.
    @Test func theSameTallyByEveryPathIsStoredOnce() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            let id = UUID()
            let before = try await TallyRoutesTests().all(client).count
            let single = try await client.json(TallyRoutesTests.tallies, .post, TallyRoutesTests.body(id: id))
            #expect(single.status == .created)
            let batch = try await client.json(
                TallyRoutesTests.tallies + "/batch", .post, #"{"items":[\#(TallyRoutesTests.body(id: id))]}"#)
            #expect(batch.status == .ok)
            #expect(String(buffer: batch.body).contains(#""outcome":"replayed""#))
            let openRosa = try await Self.submit(client, base, Self.instance(id: "uuid:\(id)"))
            // Its source is the app's, not the JSON's: other content under a taken id.
            #expect(openRosa.status == .conflict)
            let listed = try await TallyRoutesTests().all(client)
            #expect(listed.count == before + 1)
            #expect(listed.filter { $0.id == id.uuidString.lowercased() }.count == 1)
        }
    }

    /// What a hostile client sent: thousands of empty parts, an instance in UTF-16 that
    /// hides a document type, ten thousand groups. Each is refused at once, the
    /// refusal short, and nothing stored.
    @Test func hostileSubmissionsAreRefusedCheaply() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            let before = try await TallyRoutesTests().all(client).count
            let boundary = "x"
            var parts = String(repeating: "--x\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n", count: 5_000)
            parts += "--x--\r\n"
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
            let started = ContinuousClock.now
            let many = try await client.execute(
                uri: base + "/submission", method: .post, headers: headers, body: ByteBuffer(string: parts)
            ) { $0 }
            #expect(many.status == .badRequest && Self.message(many).contains("16 parts"), "\(Self.message(many))")
            #expect(ContinuousClock.now - started < .seconds(1))

            let doctype =
                #"<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]>"#
                + Self.instance(id: "uuid:\(UUID())").replacingOccurrences(of: "<?xml version='1.0' ?>", with: "")
            var body = Data("--x\r\nContent-Disposition: form-data; name=\"xml_submission_file\"\r\n\r\n".utf8)
            body.append(contentsOf: [0xFF, 0xFE])
            body.append(doctype.data(using: .utf16LittleEndian)!)
            body.append(Data("\r\n--x--\r\n".utf8))
            let wide = try await client.execute(
                uri: base + "/submission", method: .post, headers: headers, body: ByteBuffer(bytes: body)
            ) { $0 }
            #expect(wide.status == .badRequest, "\(Self.message(wide))")

            let groups = String(
                repeating: "<people><group>civilians</group><count>-1</count><observed>no</observed></people>",
                count: 10_000)
            let crowded = Self.instance(id: "uuid:\(UUID())").replacingOccurrences(
                of: "<vehicles>", with: groups + "<vehicles>")
            let refused = try await Self.submit(client, base, crowded)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.readableBytes < 4_096, "\(refused.body.readableBytes) bytes")
            #expect(Self.message(refused).contains("more problems"))
            #expect(try await TallyRoutesTests().all(client).count == before, "nothing was stored")
        }
    }

    /// The form is filled in one pass: a name that holds a placeholder is written as it
    /// is, and cannot pull the checkpoints (or anything else) into the form's title.
    @Test func aPlaceholderInANameIsWrittenAsItIsNeverFilledIn() {
        let template = "<title>{{title}}</title><root>{{checkpoints}}</root><v>{{version}}</v>{{unknown}}"
        let filled = TallyForm.fill(
            template, with: ["title": "Aleppo {{checkpoints}}", "checkpoints": "<item/>", "version": "1"])
        #expect(filled == "<title>Aleppo {{checkpoints}}</title><root><item/></root><v>1</v>{{unknown}}")
    }

    /// "Each group once" in the form names every group the domain knows.
    @Test func theFormsGroupRuleNamesEveryGroup() async throws {
        try await withDemoServer { client, store in
            let base = try await device(store)
            let form = try await client.execute(uri: base + "/forms/\(Self.operation)/form.xml", method: .get) { $0 }
            let xml = String(buffer: form.body)
            let rule = try #require(
                xml.split(separator: "\n").first { $0.contains(#"nodeset="/data/people/group""#) })
            for group in Group.allCases { #expect(rule.contains("[group = '\(group.rawValue)']"), "\(group)") }
            let expressions = xml.split(separator: "\n").filter { $0.contains("=\"") && !$0.contains("<!--") }
            #expect(!expressions.contains { $0.contains("current()") }, "JavaRosa has no current()")
        }
    }
}

extension Insecure {
    static func md5Hex(_ data: Data) -> String {
        MD5.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
