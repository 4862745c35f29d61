import CouloirAccess
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import CouloirApp

/// A clock the tests move by hand.
final class TestClock: Sendable {
    private let instant = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { instant.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        instant.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Runs `body` against the demo application on a clock the test moves, with a
/// coordinator `amal` whose password is `password`.
func withSessions(
    _ body: @Sendable (any TestClientProtocol, SQLRepository, TestClock, User) async throws -> Void
) async throws {
    let clock = TestClock()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-session-\(UUID()).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let config = AppConfig(port: 0, database: .sqlite(path: path), logLevel: .warning)
    let app = try await buildApplication(config: config, now: { clock.now })
    var logger = Logger(label: "couloir.tests")
    logger.logLevel = .warning
    let pool = try DatabasePool(.sqlite(path: path), logger: logger)
    do {
        let store = SQLRepository(pool: pool, actor: .system("tests"))
        try await DemoLoader.load(DemoScenario.aleppo2016(), into: store, logger: logger)
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.coordination).organisation
        let user = User(organisationID: organisation.id, login: "amal", role: .coordinator)
        try await store.insert(user, passwordHash: try await PasswordHasher().hash(SessionTests.password))
        try await app.test(.router) { client in try await body(client, store, clock, user) }
        try await pool.shutdown()
    } catch {
        try? await pool.shutdown()
        throw error
    }
}

struct SignedIn: Decodable {
    let login: String
    let role: String
    let csrfToken: String
}

@Suite("Sessions, on an injected clock")
struct SessionTests {
    static let password = "ممر إنساني آمن للجميع 🚑 Alep"

    static func signIn(_ client: some TestClientProtocol, password: String = Self.password, headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        try await client.json(
            "/session", .post, #"{"login":"amal","password":"\#(password)"}"#, headers: headers)
    }

    /// The session cookie's token and its CSRF token.
    static func session(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let response = try await signIn(client)
        #expect(response.status == .ok)
        let cookie = try #require(response.headers[.setCookie])
        let token = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        let answer = try JSONDecoder().decode(SignedIn.self, from: response.body)
        return (String(token), answer.csrfToken)
    }

    static func headers(_ cookie: String, csrf: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.cookie: "couloir_session=\(cookie)"]
        if let csrf { headers[.init("X-CSRF-Token")!] = csrf }
        return headers
    }

    @Test func signingInSetsAnHttpOnlyStrictCookieWithANewTokenEachTime() async throws {
        try await withSessions { client, _, _, _ in
            let first = try await Self.signIn(client)
            let cookie = try #require(first.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "no Secure over plain HTTP")
            let (token, _) = try await Self.session(client)
            #expect(!cookie.contains(token), "a new token at each sign-in")
            #expect(token.count == 43, "256 bits, base64url: \(token)")
            let proxied = try await Self.signIn(client, headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(proxied.headers[.setCookie]?.contains("Secure") == true, "Secure behind TLS")
        }
    }

    @Test func aSessionReadsTheAPIAndItsChangesNeedTheCSRFToken() async throws {
        try await withSessions { client, _, _, _ in
            let (cookie, csrf) = try await Self.session(client)
            let read = try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie))
            #expect(read.status == .ok)
            let body = #"{"name":"Forged operation","area":"Homs","timeZone":"Asia/Damascus","languages":["en"]}"#
            let forged = try await client.json("/api/v1/operations", .post, body, headers: Self.headers(cookie))
            #expect(forged.status == .forbidden, "no CSRF token: refused")
            let wrong = try await client.json(
                "/api/v1/operations", .post, body, headers: Self.headers(cookie, csrf: String(csrf.reversed())))
            #expect(wrong.status == .forbidden, "a wrong CSRF token: refused")
            let list = try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie))
            #expect(String(buffer: list.body).contains("Forged operation") == false, "and nothing was made")
            let made = try await client.json(
                "/api/v1/operations", .post, body, headers: Self.headers(cookie, csrf: csrf))
            #expect(made.status == .created)
        }
    }

    @Test func aSessionEndsAfterThirtyIdleMinutes() async throws {
        try await withSessions { client, _, clock, _ in
            let (cookie, _) = try await Self.session(client)
            for _ in 0..<4 {
                clock.advance(29 * 60)
                #expect(try await client.json("/session", .get, headers: Self.headers(cookie)).status == .ok)
            }
            clock.advance(30 * 60)
            #expect(try await client.json("/session", .get, headers: Self.headers(cookie)).status == .unauthorized)
            let api = try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie))
            #expect(api.status == .unauthorized)
        }
    }

    @Test func aSessionEndsTwelveHoursAfterSignInHoweverBusy() async throws {
        try await withSessions { client, _, clock, _ in
            let (cookie, _) = try await Self.session(client)
            for _ in 0..<(12 * 4 - 1) {
                clock.advance(15 * 60)
                #expect(try await client.json("/session", .get, headers: Self.headers(cookie)).status == .ok)
            }
            clock.advance(15 * 60)
            #expect(try await client.json("/session", .get, headers: Self.headers(cookie)).status == .unauthorized)
        }
    }

    @Test func signingOutEndsTheSessionAtOnce() async throws {
        try await withSessions { client, _, _, _ in
            let (cookie, csrf) = try await Self.session(client)
            let forged = try await client.json("/session", .delete, headers: Self.headers(cookie))
            #expect(forged.status == .forbidden, "signing out needs the CSRF token too")
            let out = try await client.json("/session", .delete, headers: Self.headers(cookie, csrf: csrf))
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.json("/session", .get, headers: Self.headers(cookie)).status == .unauthorized)
            let api = try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie))
            #expect(api.status == .unauthorized)
        }
    }

    @Test func aDisabledUsersSessionStopsWithinASecond() async throws {
        try await withSessions { client, store, clock, user in
            let (cookie, _) = try await Self.session(client)
            #expect(try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie)).status == .ok)
            _ = try await store.setDisabled(true, user: user.id)
            clock.advance(1)
            let api = try await client.json("/api/v1/operations", .get, headers: Self.headers(cookie))
            #expect(api.status == .unauthorized)
            #expect(try await Self.signIn(client).status == .unauthorized, "and cannot sign in again")
        }
    }

    @Test func wrongPasswordsAreRefusedThenThrottledNotLockedForever() async throws {
        try await withSessions { client, _, clock, _ in
            for _ in 0..<5 {
                let refused = try await Self.signIn(client, password: "not the password at all")
                #expect(refused.status == .unauthorized)
            }
            let throttled = try await Self.signIn(client, password: "not the password at all")
            #expect(throttled.status == .tooManyRequests)
            let retry = try #require(throttled.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(retry), "Retry-After: \(retry)")
            let stillThrottled = try await Self.signIn(client)
            #expect(stillThrottled.status == .tooManyRequests, "not even the right password is tried meanwhile")
            clock.advance(TimeInterval(retry))
            #expect(try await Self.signIn(client).status == .ok, "after the wait, the right password works")
        }
    }

    @Test func aLongPasswordCountsToItsLastCharacter() async throws {
        try await withSessions { client, _, _, _ in
            var almost = Self.password
            almost.removeLast()
            let wrong = try await Self.signIn(client, password: almost + "o")
            #expect(wrong.status == .unauthorized)
            let right = try await Self.signIn(client)
            #expect(right.status == .ok)
        }
    }

    /// Wrong passwords from sixty addresses at once fill the places where guesses are
    /// checked; the real user, from an address they signed in from before, still signs
    /// in every time, and the flood is told to wait (429), never that it guessed wrong.
    @Test func aFloodOfGuessesFromElsewhereNeverTurnsAKnownUserAway() async throws {
        try await withSessions { _, store, clock, _ in
            let sessions = SessionAuthenticator(
                sessions: store, identities: store, hasher: PasswordHasher(threadPool: PasswordHasher.signInThreads),
                timeouts: .standard, throttle: LoginThrottle(), now: { clock.now })
            let home = "10.0.0.1"
            guard case .signedIn = try await sessions.signIn(login: "amal", password: Self.password, address: home)
            else {
                Issue.record("amal signs in from home once")
                return
            }
            for round in 0..<3 {
                let (signedIn, turnedAway) = try await withThrowingTaskGroup(
                    of: SessionAuthenticator.SignIn.self, returning: (Bool, Int).self
                ) { group in
                    for attacker in 0..<60 {
                        group.addTask {
                            try await sessions.signIn(
                                login: attacker % 2 == 0 ? "amal" : "someone\(attacker)", password: "guess \(round)",
                                address: "203.0.113.\(attacker)")
                        }
                    }
                    // While the guesses are being checked.
                    try await Task.sleep(for: .milliseconds(20))
                    let own = try await sessions.signIn(login: "amal", password: Self.password, address: home)
                    var throttled = 0
                    for try await answer in group { if case .throttled = answer { throttled += 1 } }
                    if case .signedIn = own { return (true, throttled) }
                    return (false, throttled)
                }
                #expect(signedIn, "round \(round): amal, from home, signs in")
                #expect(turnedAway > 0, "round \(round): the flood is turned away in part")
                clock.advance(120)
            }
        }
    }
}
