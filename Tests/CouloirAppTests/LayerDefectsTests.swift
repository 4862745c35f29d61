import CouloirApp
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Defects found where the layers meet (issue 28), each answered as it should be now.
@Suite("Defects between the layers")
struct LayerDefectsTests {
    static let operation = AccessRoutesTests.operation

    /// Empty query components name nothing: ignored, never a server error.
    @Test(arguments: ["?&", "?limit=5&&cursor=", "?&=", "?=", "?&&&", "?=x&limit=2"])
    func emptyQueryComponentsAreIgnoredOnEveryListAndFigure(query: String) async throws {
        try await withDemo { client in
            for path in [
                "/api/v1/operations", Self.operation + "/parties", Self.operation + "/tallies",
                Self.operation + "/incidents", Self.operation + "/figures/flow",
            ] {
                let answer = try await client.json(path + query, .get)
                // An empty `cursor=` is a cursor, and refused as one (422 naming it).
                #expect(
                    [.ok, .badRequest, .unprocessableContent].contains(answer.status),
                    "\(path + query): \(answer.status) \(String(buffer: answer.body))")
                #expect(
                    answer.status == .ok || answer.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    /// A browser gets a page in its language for an address that leads nowhere, under
    /// the pages' paths or not; API clients keep their problem documents.
    @Test(arguments: [("en", "Page not found"), ("fr", "Page introuvable"), ("ar", "الصفحة غير موجودة")])
    func aBrowserGetsAnErrorPageInItsLanguage(language: String, title: String) async throws {
        try await withDemo { client in
            var browser = HTTPFields()
            browser[.accept] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
            browser[.acceptLanguage] = language
            for path in ["/no-such-page", "/operations/\(UUID())/nowhere", "/admin/nothing/here"] {
                let page = try await client.execute(uri: path, method: .get, headers: browser) { $0 }
                #expect(page.status == .notFound, "\(path)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                let html = String(buffer: page.body)
                #expect(html.contains("<h1>\(title)</h1>") && html.contains(#"lang="\#(language)""#), "\(html)")
                #expect(html.contains(#"href="/operations""#), "a way back")
            }
            let wrongMethod = try await client.execute(uri: "/operations", method: .delete, headers: browser) { $0 }
            #expect([.notFound, .methodNotAllowed].contains(wrongMethod.status))
            #expect(wrongMethod.headers[.contentType] == "text/html; charset=utf-8")
            let api = try await client.execute(uri: "/api/v1/nowhere", method: .get, headers: browser) { $0 }
            #expect(api.status == .notFound)
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let script = try await client.execute(uri: "/no-such-page", method: .get) { $0 }
            #expect(script.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    /// A noncharacter (U+FFFE, U+FDD0) cannot be carried by XML: a name holding one would
    /// make ODK Collect's form unreadable. Refused where the name is given, naming it.
    @Test(arguments: [#"\uFFFE"#, #"\uFDD0"#, #"\uDBFF\uDFFF"#])
    func aNameWithANoncharacterIsRefused(escaped: String) async throws {
        try await withDemo { client in
            let answer = try await client.json(
                Self.operation + "/parties", .post, #"{"name":"Gate\#(escaped) 3","kind":"ngo"}"#)
            #expect(answer.status == .unprocessableContent, "\(String(buffer: answer.body))")
            #expect(String(buffer: answer.body).contains(#""pointer":"/name""#))
        }
    }

    /// A pause proposed months after the demo's, and one whose windows lie a year apart:
    /// the dashboard shows each at any instant, its figures covering the period shown,
    /// never the span between the first and last window.
    @Test func theDashboardOfPausesMonthsApartIsShownAtAnyInstant() async throws {
        try await withSessions { client, store, _, _ in
            let demo = PlanFormsTests.demo
            let template = try #require(demo.pauses.first { $0.operationID == WebPagesTests.operation })
            let march = try #require(UTCText.date("2017-03-10T06:00:00Z"))
            for (name, windows) in [
                ("March pause", [PauseWindow.fixed(Interval(start: march, end: march.addingTimeInterval(8 * 3600)))]),
                (
                    "A year apart",
                    [
                        .fixed(
                            Interval(start: march.addingTimeInterval(86_400), end: march.addingTimeInterval(90_000))),
                        .fixed(
                            Interval(
                                start: march.addingTimeInterval(400 * 86_400),
                                end: march.addingTimeInterval(401 * 86_400))),
                    ]
                ),
            ] {
                try await store.insert(
                    Pause(
                        operationID: WebPagesTests.operation, name: name, windows: windows,
                        corridorIDs: template.corridorIDs, proposedAt: march.addingTimeInterval(-86_400),
                        source: template.source))
            }
            let (cookie, _, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            for at in [
                "", "?at=2016-10-20T10:00", "?at=2017-03-10T12:00", "?at=2017-03-11T10:00", "?at=2018-04-15T10:00",
            ] {
                let page = try await WebPagesTests.get(client, PlanFormsTests.base + "/dashboard" + at, cookie: cookie)
                #expect(page.status == .ok, "\(at): \(String(buffer: page.body).prefix(300))")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            }
        }
    }

    /// Text travels gzipped to a client that asks: lists, pages, scripts; never an event
    /// stream, never a record whose ETag is its version, and not to a client that did not ask.
    @Test func textIsCompressedForClientsThatAsk() async throws {
        try await withDemo { client in
            var gzip = HTTPFields()
            gzip[.acceptEncoding] = "gzip, deflate, br"
            let list = try await client.execute(
                uri: Self.operation + "/tallies?limit=200", method: .get, headers: gzip
            ) { $0 }
            #expect(list.status == .ok && list.headers[.contentEncoding] == "gzip")
            #expect(list.headers[.vary]?.contains("Accept-Encoding") == true)
            #expect(Array(list.body.readableBytesView.prefix(2)) == [0x1f, 0x8b], "a gzip stream")
            let plain = try await client.execute(
                uri: Self.operation + "/tallies?limit=200", method: .get
            ) { $0 }
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(
                list.body.readableBytes * 3 < plain.body.readableBytes,
                "\(list.body.readableBytes) of \(plain.body.readableBytes)")
            let record = try await client.execute(
                uri: Self.operation, method: .get, headers: gzip
            ) { $0 }
            #expect(record.headers[.eTag] != nil && record.headers[.contentEncoding] == nil, "its ETag is its version")
            let script = try await client.execute(uri: "/static/couloir-field.js", method: .get, headers: gzip) { $0 }
            #expect(script.headers[.contentEncoding] == "gzip" && script.headers[.eTag]?.hasSuffix("-gzip\"") == true)
            var revalidate = gzip
            revalidate[.ifNoneMatch] = script.headers[.eTag]
            let again = try await client.execute(uri: "/static/couloir-field.js", method: .get, headers: revalidate) {
                $0
            }
            #expect(again.status == .notModified)
            var refused = HTTPFields()
            refused[.acceptEncoding] = "gzip;q=0, identity"
            let identity = try await client.execute(uri: "/static/couloir-field.js", method: .get, headers: refused) {
                $0
            }
            #expect(identity.headers[.contentEncoding] == nil)
        }
    }

    /// `HEAD` on a page or a static file is answered as its `GET`, without the body.
    @Test func headOnPagesAndStaticFilesIsAnsweredAsTheirGet() async throws {
        try await withDemo { client in
            for path in ["/sign-in", "/static/couloir.css", "/field/", "/operations"] {
                let get = try await client.execute(uri: path, method: .get) { $0 }
                let head = try await client.execute(uri: path, method: .head) { $0 }
                #expect(head.status == get.status, "\(path): \(head.status) for HEAD, \(get.status) for GET")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
            }
        }
    }

    /// A body sent a byte at a time does not hold its connection for ever: it is closed
    /// once the body has taken longer than the limit, while a normal request is answered.
    @Test func aBodySentTooSlowlyHasItsConnectionClosed() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-slow-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm", ".audit-key"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        var config = AppConfig(port: 0, database: .sqlite(path: path), logLevel: .warning)
        config.connectionLimits = ConnectionLimits(bodyTimeout: .milliseconds(800))
        let app = try await buildApplication(config: config)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let connection = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(connection) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(connection, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            #expect(connected == 0)
            let head =
                "POST /session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
            _ = head.withCString { send(connection, $0, strlen($0), 0) }
            let started = ContinuousClock.now
            var closed = false
            while ContinuousClock.now - started < .seconds(5) {
                _ = " ".withCString { send(connection, $0, 1, Int32(MSG_NOSIGNAL)) }
                var buffer = [UInt8](repeating: 0, count: 512)
                let read = recv(connection, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                if read == 0 || (read < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    closed = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(closed, "the connection is closed")
            #expect(ContinuousClock.now - started < .seconds(3))
            let health = try await client.execute(uri: "/healthz", method: .get) { $0 }
            #expect(health.status == .ok)
        }
    }

    /// A tally the fast path takes is answered there, whatever the answer: a conflict, a
    /// 403 or a 422 runs the core's write path once, not a second time through the
    /// generated server. Counted by the transactions the writer begins.
    @Test func aTallyConflictRunsTheWritePathOnce() async throws {
        let log = CapturedLog()
        try await withDemoDatabase(serverLogger: log.logger(), logLevel: .trace) { client, _, _ in
            let id = UUID()
            let first = TallyRoutesTests.body(id: id)
            #expect(try await client.json(TallyRoutesTests.tallies, .post, first).status == .created)
            func begun() -> Int {
                log.written.filter { "\($0.message) \($0.metadata)".contains("BEGIN IMMEDIATE") }.count
            }
            let before = begun()
            let other = TallyRoutesTests.body(id: id, people: 41)
            let conflict = try await client.json(TallyRoutesTests.tallies, .post, other)
            #expect(conflict.status == .conflict)
            #expect(conflict.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(begun() - before == 1, "one write transaction for one request")
        }
    }
}
