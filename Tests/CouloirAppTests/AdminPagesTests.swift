import CouloirAccess
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Administration in the browser, from outside: who reaches it, what it may grant, and
/// that a secret shown once is never cached.
@Suite("Administration pages")
struct AdminPagesTests {
    /// Adds a user of the Aleppo cell with `role` and signs them in; their cookie and form token.
    static func signedIn(
        _ role: Role, client: some TestClientProtocol, store: SQLRepository,
        organisation: String = DemoLoader.coordination
    ) async throws -> (cookie: String, csrf: String, user: User) {
        let organisationID = try #require(try await store.organisation(named: organisation)).id
        let login = "\(role.rawValue).\(UUID().uuidString.prefix(8).lowercased())"
        var assignment = Assignment()
        if role == .partyLiaison { assignment.partyID = DemoScenario.aleppo2016().parties[0].id }
        let user = User(organisationID: organisationID, login: login, role: role, assignment: assignment)
        try await store.insert(user, passwordHash: try await PasswordHasher(cost: 4).hash("correct horse battery"))
        let response = try await client.execute(
            uri: "/sign-in", method: .post, headers: WebPagesTests.sameOrigin,
            body: WebPagesTests.form([("login", login), ("password", "correct horse battery")])
        ) { $0 }
        #expect(response.status == .seeOther, "\(login) signs in")
        let cookie = String(
            try #require(response.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last))
        return (cookie, try await WebPagesTests.csrf(client, cookie: cookie), user)
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, cookie: String, _ fields: [(String, String)]
    ) async throws -> TestResponse {
        var headers = WebPagesTests.sameOrigin
        headers[.cookie] = "couloir_session=\(cookie)"
        return try await client.execute(uri: uri, method: .post, headers: headers, body: WebPagesTests.form(fields)) {
            $0
        }
    }

    @Test func onlyRolesThatAdministerReachTheAdministration() async throws {
        try await withSessions { client, store, _, _ in
            for role in [Role.analyst, .observer, .monitor, .partyLiaison] {
                let (cookie, csrf, _) = try await Self.signedIn(role, client: client, store: store)
                for page in ["/admin", "/admin/users/new", "/admin/tokens/new"] {
                    let response = try await WebPagesTests.get(client, page, cookie: cookie)
                    #expect(response.status == .forbidden, "\(role) \(page)")
                }
                let made = try await Self.post(
                    client, "/admin/tokens", cookie: cookie, [("csrf", csrf), ("label", "x"), ("role", "observer")])
                #expect(made.status == .forbidden, "\(role) issues no token")
                let page = String(buffer: try await WebPagesTests.get(client, "/operations", cookie: cookie).body)
                #expect(!page.contains(#"href="/admin""#), "\(role) is offered no administration link")
            }
        }
    }

    @Test func aCoordinatorIssuesTokensButNeverAnAdministratorsOrAUser() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, csrf, _) = try await Self.signedIn(.coordinator, client: client, store: store)
            let admin = try await Self.post(
                client, "/admin/tokens", cookie: cookie, [("csrf", csrf), ("label", "Script"), ("role", "admin")])
            #expect(admin.status == .unprocessableContent)
            #expect(String(buffer: admin.body).contains(#"id="field-role-error""#))
            let users = try await WebPagesTests.get(client, "/admin/users/new", cookie: cookie)
            #expect(users.status == .forbidden)
            let issued = try await Self.post(
                client, "/admin/tokens", cookie: cookie, [("csrf", csrf), ("label", "Script"), ("role", "analyst")])
            #expect(issued.status == .ok)
            #expect(issued.headers[.cacheControl] == "no-store", "a secret shown once is never cached")
            #expect(issued.headers[.contentSecurityPolicy] != nil)
            let secret = try #require(String(buffer: issued.body).firstMatch(of: /value="(couloir_[^"]+)"/)).1
            let read = try await client.execute(
                uri: "/api/v1/operations", method: .get, headers: [.authorization: "Bearer \(secret)"]
            ) { $0 }
            #expect(read.status == .ok)
        }
    }

    @Test func anAdministratorAddsAUserWhoSignsInAndDisablesThem() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, csrf, admin) = try await Self.signedIn(.admin, client: client, store: store)
            let checkpoint = DemoScenario.aleppo2016().corridors[0].checkpoints[0].id
            let refused = try await Self.post(
                client, "/admin/users", cookie: cookie,
                [("csrf", csrf), ("login", "nadia"), ("role", "monitor"), ("assignment/checkpointIds", "\(UUID())")])
            #expect(refused.status == .unprocessableContent, "a checkpoint of no operation of ours")
            #expect(try await store.user(login: "nadia") == nil, "and nothing was made")
            let added = try await Self.post(
                client, "/admin/users", cookie: cookie,
                [
                    ("csrf", csrf), ("login", "Nadia"), ("role", "monitor"),
                    ("assignment/checkpointIds", "\(checkpoint)"),
                ])
            #expect(added.status == .ok)
            #expect(added.headers[.cacheControl] == "no-store")
            let password = String(
                try #require(String(buffer: added.body).firstMatch(of: /id="secret"[^>]*value="([^"]+)"/)).1)
            let stored = try #require(try await store.user(login: "nadia"))
            #expect(stored.user.assignment.checkpointIDs == [checkpoint])
            let again = try await Self.post(
                client, "/admin/users", cookie: cookie, [("csrf", csrf), ("login", "nadia"), ("role", "observer")])
            #expect(String(buffer: again.body).contains("This login is taken"))
            let signIn = try await client.execute(
                uri: "/sign-in", method: .post, headers: WebPagesTests.sameOrigin,
                body: WebPagesTests.form([("login", "nadia"), ("password", password)])
            ) { $0 }
            #expect(signIn.status == .seeOther)
            let disabled = try await Self.post(
                client, "/admin/users/\(stored.user.id)/disable", cookie: cookie, [("csrf", csrf)])
            #expect(disabled.status == .seeOther)
            #expect(try await store.user(login: "nadia")?.user.disabled == true)
            let own = try await Self.post(client, "/admin/users/\(admin.id)/disable", cookie: cookie, [("csrf", csrf)])
            #expect(own.status == .conflict, "nobody disables themselves")
        }
    }

    @Test func anotherOrganisationsUsersAndTokensAreNotThere() async throws {
        try await withSessions { client, store, _, _ in
            let (cookie, csrf, _) = try await Self.signedIn(.admin, client: client, store: store)
            let homs = try #require(try await store.organisation(named: DemoLoader.secondCell))
            let stranger = User(organisationID: homs.id, login: "homs.user", role: .observer)
            try await store.insert(stranger, passwordHash: try await PasswordHasher(cost: 4).hash("whatever it is"))
            let token = AccessToken(organisationID: homs.id, label: "Homs phone", role: .observer, issuedAt: Date())
            _ = try await store.issue(token)
            let admin = String(buffer: try await WebPagesTests.get(client, "/admin", cookie: cookie).body)
            #expect(!admin.contains("homs.user") && !admin.contains("Homs phone"))
            let disable = try await Self.post(
                client, "/admin/users/\(stranger.id)/disable", cookie: cookie, [("csrf", csrf)])
            #expect(disable.status == .notFound)
            let revoke = try await Self.post(
                client, "/admin/tokens/\(token.id)/revoke", cookie: cookie, [("csrf", csrf)])
            #expect(revoke.status == .notFound)
            #expect(try await store.user(login: "homs.user")?.user.disabled == false)
            #expect(try await store.tokens(of: homs.id).first?.token.revokedAt == nil)
        }
    }
}

@Suite("Record history on the pages")
struct HistoryPagesTests {
    @Test func aCorridorsPageSaysWhoClosedItAndWhyToThoseWhoReadTheAuditLog() async throws {
        try await withSessions { client, store, _, _ in
            let corridor = DemoScenario.aleppo2016().corridors[2]
            let page = "/operations/\(WebPagesTests.operation)/corridors/\(corridor.id)"
            let (cookie, csrf, coordinator) = try await AdminPagesTests.signedIn(
                .coordinator, client: client, store: store)
            let empty = try await AdminPagesTests.post(
                client, page + "/overrides", cookie: cookie, [("csrf", csrf), ("state", "closed")])
            #expect(empty.status == .unprocessableContent, "a closure needs its reason and source")
            let closed = try await AdminPagesTests.post(
                client, page + "/overrides", cookie: cookie,
                [
                    ("csrf", csrf), ("state", "closed"), ("reason", "Sniper fire at the crossing"),
                    ("source/name", "SARC team 3"), ("source/kind", "monitor"),
                ])
            #expect(closed.status == .seeOther)
            let html = String(buffer: try await WebPagesTests.get(client, page, cookie: cookie).body)
            #expect(html.contains("Sniper fire at the crossing"))
            #expect(html.contains(#"id="history-heading""#))
            #expect(html.contains("\(coordinator.login)"), "the history names who closed it")
            #expect(html.contains("closed or blocked by hand"))
            let (observer, _, _) = try await AdminPagesTests.signedIn(.observer, client: client, store: store)
            let seen = String(buffer: try await WebPagesTests.get(client, page, cookie: observer).body)
            #expect(seen.contains("Sniper fire at the crossing"), "an observer sees the closure")
            #expect(!seen.contains(#"id="history-heading""#), "but reads no audit log")
            let form = try await WebPagesTests.get(client, page + "/override", cookie: observer)
            #expect(form.status == .forbidden, "and may not close it")
        }
    }
}

@Suite("Verification on the pages")
struct VerificationPagesTests {
    @Test func onlyThoseWhoMayVerifyAreOfferedTheFormAndTheirChangeIsKept() async throws {
        try await withSessions { client, store, _, _ in
            let claim = DemoScenario.aleppo2016().claims[0]
            let page = "/operations/\(WebPagesTests.operation)/claims/\(claim.id)"
            let fields = [
                ("to", "disputed"), ("reason", "Contradicted by the UN's count"), ("source/name", "OCHA"),
                ("source/kind", "agency"),
            ]
            let (observer, observerCSRF, _) = try await AdminPagesTests.signedIn(
                .observer, client: client, store: store)
            let seen = String(buffer: try await WebPagesTests.get(client, page, cookie: observer).body)
            #expect(!seen.contains("/verification\""), "an observer is offered no verification form")
            let refused = try await AdminPagesTests.post(
                client, page + "/verification", cookie: observer, [("csrf", observerCSRF)] + fields)
            #expect(refused.status == .forbidden)
            #expect(
                try await store.claims(in: WebPagesTests.operation).first { $0.id == claim.id }?.verification
                    == claim.verification)
            let (coordinator, csrf, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let missing = try await AdminPagesTests.post(
                client, page + "/verification", cookie: coordinator, [("csrf", csrf), ("to", "disputed")])
            #expect(missing.status == .unprocessableContent)
            #expect(String(buffer: missing.body).contains(#"id="field-reason-error""#))
            let changed = try await AdminPagesTests.post(
                client, page + "/verification", cookie: coordinator, [("csrf", csrf)] + fields)
            #expect(changed.status == .seeOther)
            let stored = try #require(try await store.claims(in: WebPagesTests.operation).first { $0.id == claim.id })
            #expect(stored.verification == .disputed)
            let newClaim = "/operations/\(WebPagesTests.operation)/claims/new"
            #expect(try await WebPagesTests.get(client, newClaim, cookie: observer).status == .forbidden)
            #expect(try await WebPagesTests.get(client, newClaim, cookie: coordinator).status == .ok)
            #expect(stored.verificationHistory.last?.reason == "Contradicted by the UN's count")
        }
    }
}

@Suite("Operation forms")
struct OperationFormsTests {
    @Test func anOperationEditedFromAStalePageIsRefusedWithTheCurrentValues() async throws {
        try await withSessions { client, store, _, _ in
            let (observer, _, _) = try await AdminPagesTests.signedIn(.observer, client: client, store: store)
            #expect(try await WebPagesTests.get(client, "/operations/new", cookie: observer).status == .forbidden)
            let (cookie, csrf, _) = try await AdminPagesTests.signedIn(.coordinator, client: client, store: store)
            let made = try await AdminPagesTests.post(
                client, "/operations", cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Madaya"), ("area", "Madaya"), ("timeZone", "Asia/Damascus"),
                    ("languages", "ar, en"),
                ])
            #expect(made.status == .seeOther)
            let page = try #require(made.headers[.location])
            let fields = [
                ("csrf", csrf), ("area", "Madaya and Zabadani"), ("timeZone", "Asia/Damascus"), ("languages", "ar"),
            ]
            let first = try await AdminPagesTests.post(
                client, page, cookie: cookie, fields + [("name", "Madaya, 2017"), ("version", "1")])
            #expect(first.status == .seeOther)
            let stale = try await AdminPagesTests.post(
                client, page, cookie: cookie, fields + [("name", "Madaya 2"), ("version", "1")])
            #expect(stale.status == .preconditionFailed)
            let html = String(buffer: stale.body)
            #expect(html.contains(#"id="stale""#) && html.contains("Madaya 2"), "what was typed is shown")
            #expect(html.contains(#"value="Madaya, 2017""#), "beside the current values")
            #expect(html.contains(#"name="version" value="2""#))
            let badLanguage = try await AdminPagesTests.post(
                client, page, cookie: cookie,
                [
                    ("csrf", csrf), ("name", "Madaya"), ("area", "Madaya"), ("timeZone", "Asia/Damascus"),
                    ("languages", "ar, 12"), ("version", "2"),
                ])
            #expect(badLanguage.status == .unprocessableContent)
            #expect(String(buffer: badLanguage.body).contains(#"id="field-languages-error""#))
        }
    }
}
