import CouloirDemo
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import CouloirWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The coordinators' pages from outside: signing in, being sent back, forms refused
/// from another site or without their token, and what a page shows being what the core
/// lets the user see. (The browser test in `.ci/browser_test.py` drives the same in
/// Chromium.)
@Suite("Web pages")
struct WebPagesTests {
    static let operation = DemoScenario.aleppo2016().operations[0].id
    static let sameOrigin: HTTPFields = [
        .init("Sec-Fetch-Site")!: "same-origin", .contentType: "application/x-www-form-urlencoded",
    ]

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&"))
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Signs `amal` in through the page; the session cookie.
    static func signIn(_ client: some TestClientProtocol, next: String? = nil) async throws -> String {
        var fields = [("login", "amal"), ("password", SessionTests.password)]
        if let next { fields.append(("next", next)) }
        let response = try await client.execute(
            uri: "/sign-in", method: .post, headers: sameOrigin, body: form(fields)
        ) { $0 }
        #expect(response.status == .seeOther)
        let cookie = try #require(response.headers[.setCookie])
        return String(try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last))
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, cookie: String?, headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        var headers = headers
        if let cookie { headers[.cookie] = "couloir_session=\(cookie)" }
        return try await client.execute(uri: uri, method: .get, headers: headers) { $0 }
    }

    /// The session's form token, read from a page's sign-out form.
    static func csrf(_ client: some TestClientProtocol, cookie: String) async throws -> String {
        let page = String(buffer: try await get(client, "/operations", cookie: cookie).body)
        let match = try #require(page.firstMatch(of: /name="csrf" value="([^"]+)"/))
        return String(match.1)
    }

    @Test func aStrangerIsSentToSignInAndBroughtBackAfter() async throws {
        try await withSessions { client, _, _, _ in
            let page = "/operations/\(Self.operation)/incidents?kind=closure"
            let stranger = try await Self.get(client, page, cookie: nil)
            #expect(stranger.status == .seeOther)
            let location = try #require(stranger.headers[.location])
            #expect(location == "/sign-in?next=" + FormBody.encodeForTests(page))
            let signIn = try await Self.get(client, location, cookie: nil)
            #expect(signIn.status == .ok)
            #expect(signIn.headers[.contentType] == "text/html; charset=utf-8")
            let response = try await client.execute(
                uri: "/sign-in", method: .post, headers: Self.sameOrigin,
                body: Self.form([("login", "amal"), ("password", SessionTests.password), ("next", page)])
            ) { $0 }
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == page)
        }
    }

    @Test func aSignInOnlyGoesBackToThisServer() async throws {
        try await withSessions { client, _, _, _ in
            for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                let response = try await client.execute(
                    uri: "/sign-in", method: .post, headers: Self.sameOrigin,
                    body: Self.form([("login", "amal"), ("password", SessionTests.password), ("next", hostile)])
                ) { $0 }
                #expect(response.headers[.location] == "/operations", "\(hostile)")
            }
        }
    }

    @Test func thePagesSessionCookieIsTheAPIsSecureBehindTLS() async throws {
        try await withSessions { client, _, _, _ in
            let body = Self.form([("login", "amal"), ("password", SessionTests.password)])
            let plain = try await client.execute(uri: "/sign-in", method: .post, headers: Self.sameOrigin, body: body) {
                $0
            }
            let cookie = try #require(plain.headers[.setCookie])
            #expect(
                cookie.hasPrefix("couloir_session=") && cookie.contains("HttpOnly")
                    && cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "no Secure over plain HTTP")
            var proxied = Self.sameOrigin
            proxied[.init("X-Forwarded-Proto")!] = "https"
            let behindTLS = try await client.execute(uri: "/sign-in", method: .post, headers: proxied, body: body) {
                $0
            }
            #expect(behindTLS.headers[.setCookie]?.contains("Secure") == true, "Secure behind TLS, as the API's")
        }
    }

    @Test func aSignInFromAnotherSiteOrNoBrowserIsRefused() async throws {
        try await withSessions { client, _, _, _ in
            let body = Self.form([("login", "amal"), ("password", SessionTests.password)])
            for headers: HTTPFields in [
                [.init("Sec-Fetch-Site")!: "cross-site", .contentType: "application/x-www-form-urlencoded"],
                [.origin: "https://evil.example", .contentType: "application/x-www-form-urlencoded"],
                [.contentType: "application/x-www-form-urlencoded"],
            ] {
                let response = try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: body) {
                    $0
                }
                #expect(response.status == .forbidden)
                #expect(response.headers[.setCookie] == nil, "no session for a forged sign-in")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
        }
    }

    @Test func aWrongPasswordIsToldOnThePageInItsLanguage() async throws {
        try await withSessions { client, _, _, _ in
            var headers = Self.sameOrigin
            headers[.acceptLanguage] = "fr-FR,fr;q=0.9"
            let response = try await client.execute(
                uri: "/sign-in", method: .post, headers: headers,
                body: Self.form([("login", "amal"), ("password", "wrong")])
            ) { $0 }
            #expect(response.status == .unauthorized)
            let page = String(buffer: response.body)
            #expect(page.contains("L&#39;identifiant ou le mot de passe est erroné."))
            #expect(page.contains(#"value="amal""#), "the login is kept")
            #expect(!page.contains("wrong"), "the password is not")
        }
    }

    @Test func everyPageCarriesItsHeadersAndAnArabicPageIsRightToLeft() async throws {
        try await withSessions { client, _, _, _ in
            let cookie = try await Self.signIn(client)
            let page = try await Self.get(
                client, "/operations/\(Self.operation)", cookie: cookie, headers: [.acceptLanguage: "ar"])
            #expect(page.status == .ok)
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(page.headers[.init("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[.cacheControl] == "no-store")
            let html = String(buffer: page.body)
            #expect(html.contains(#"<html lang="ar" dir="rtl">"#))
            #expect(!html.contains("<script>") && !html.contains("style="), "no inline script or style")
            #expect(html.utf8.count < 60 << 10)
        }
    }

    @Test func theLanguageChosenIsKeptInACookie() async throws {
        try await withSessions { client, _, _, _ in
            let switched = try await Self.get(client, "/language?to=fr&back=%2Fsign-in", cookie: nil)
            #expect(switched.status == .seeOther)
            #expect(switched.headers[.location] == "/sign-in")
            #expect(switched.headers[.setCookie]?.hasPrefix("couloir_lang=fr") == true)
            let page = try await Self.get(
                client, "/sign-in", cookie: nil, headers: [.cookie: "couloir_lang=fr", .acceptLanguage: "ar"])
            #expect(String(buffer: page.body).contains(#"<html lang="fr" dir="ltr">"#))
            let away = try await Self.get(client, "/language?to=ar&back=%2F%2Fevil.example", cookie: nil)
            #expect(away.headers[.location] == "/operations", "never back to another site")
        }
    }

    @Test func aFormNeedsItsTokenAndThisServersPage() async throws {
        try await withSessions { client, store, _, _ in
            let cookie = try await Self.signIn(client)
            let csrf = try await Self.csrf(client, cookie: cookie)
            let corridor = DemoScenario.aleppo2016().corridors[0]
            let fields = [
                ("kind", "closure"), ("occurredAt", "2016-10-20T11:00"), ("timePrecision", "hour"),
                ("place", "corridor:\(corridor.id)"), ("placePrecision", "area"), ("severity", "high"),
                ("summary", "Closed <script>alert(1)</script>"), ("reportedBy", "SARC"),
                ("source/name", "SARC"), ("source/kind", "monitor"),
            ]
            let before = try await store.incidents(in: Self.operation).count
            var headers = Self.sameOrigin
            headers[.cookie] = "couloir_session=\(cookie)"
            let uri = "/operations/\(Self.operation)/incidents"
            let noToken = try await client.execute(uri: uri, method: .post, headers: headers, body: Self.form(fields)) {
                $0
            }
            #expect(noToken.status == .forbidden)
            // Another first character: one in 64 tokens begins with "x".
            let wrong = (csrf.first == "x" ? "y" : "x") + csrf.dropFirst()
            let wrongToken = try await client.execute(
                uri: uri, method: .post, headers: headers, body: Self.form(fields + [("csrf", wrong)])
            ) { $0 }
            #expect(wrongToken.status == .forbidden)
            var crossSite = headers
            crossSite[.init("Sec-Fetch-Site")!] = "cross-site"
            let forged = try await client.execute(
                uri: uri, method: .post, headers: crossSite, body: Self.form(fields + [("csrf", csrf)])
            ) { $0 }
            #expect(forged.status == .forbidden)
            #expect(try await store.incidents(in: Self.operation).count == before, "nothing was made")
            let made = try await client.execute(
                uri: uri, method: .post, headers: headers, body: Self.form(fields + [("csrf", csrf)])
            ) { $0 }
            #expect(made.status == .seeOther)
            #expect(try await store.incidents(in: Self.operation).count == before + 1)
            let shown = try await Self.get(client, try #require(made.headers[.location]), cookie: cookie)
            let html = String(buffer: shown.body)
            #expect(html.contains("Closed &lt;script&gt;alert(1)&lt;/script&gt;"), "data is escaped")
            #expect(!html.contains("<script>alert"))
        }
    }

    @Test func anInvalidFormKeepsWhatWasTypedAndChangesNothing() async throws {
        try await withSessions { client, store, _, _ in
            let cookie = try await Self.signIn(client)
            let csrf = try await Self.csrf(client, cookie: cookie)
            var headers = Self.sameOrigin
            headers[.cookie] = "couloir_session=\(cookie)"
            let before = try await store.incidents(in: Self.operation).count
            let response = try await client.execute(
                uri: "/operations/\(Self.operation)/incidents", method: .post, headers: headers,
                body: Self.form([
                    ("csrf", csrf), ("kind", "closure"), ("occurredAt", "2016-02-30T10:00"), ("killed", "-3"),
                    ("summary", String(repeating: "é", count: 5000)), ("reportedBy", "Amal"),
                ])
            ) { $0 }
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains(#"id="field-occurredAt-error""#), "the impossible date is told beside it")
            #expect(html.contains(#"id="field-severity-error""#))
            #expect(html.contains(#"value="Amal""#), "what was typed is kept")
            #expect(html.contains(#"<option value="closure" selected>"#))
            #expect(try await store.incidents(in: Self.operation).count == before)
        }
    }

    @Test func anEndedSessionSendsBackToSignInSayingSo() async throws {
        try await withSessions { client, _, clock, _ in
            let cookie = try await Self.signIn(client)
            clock.advance(31 * 60)
            let page = "/operations/\(Self.operation)"
            let response = try await Self.get(client, page, cookie: cookie)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/sign-in?next=\(FormBody.encodeForTests(page))&expired=1")
        }
    }

    @Test func aRecordNobodyMaySeeIsNotFoundAsAPage() async throws {
        try await withSessions { client, _, _, _ in
            let cookie = try await Self.signIn(client)
            for uri in [
                "/operations/\(UUID())", "/operations/not-a-uuid", "/operations/\(Self.operation)/incidents/\(UUID())",
                "/operations/\(Self.operation)/corridors/\(UUID())/edit",
            ] {
                let response = try await Self.get(client, uri, cookie: cookie)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            }
        }
    }
}

extension FormBody {
    static func encodeForTests(_ text: String) -> String { encode(text) }
}
