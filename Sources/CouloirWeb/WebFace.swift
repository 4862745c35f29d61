public import CouloirCore
public import CouloirDomain
public import CouloirStorage
public import Hummingbird
import Mustache

/// Couloir's pages for the people who run an operation: server-rendered HTML, signed in
/// with the API's sessions, every decision taken by the core exactly as for the JSON
/// API. Templates, catalogues and assets are package resources read once at start.
public struct WebFace<Store: Repository>: Sendable {
    let core: Core<Store>
    let sessions: any WebSessions
    let pages: PageRenderer
    let assets: StaticAssets
    let settings: WebSettings
    /// The JSON API's cursor signer: lists page with its cursors.
    let cursors: CursorSigner
    /// The audit log's changes as they are committed, for live dashboards.
    let feed: ChangeFeed
    /// The principal an `Authorization: Bearer` header's token acts for, for the field
    /// form; `nil` when none does.
    let deviceTokens: @Sendable (String?) async throws -> Principal?

    public init(
        core: Core<Store>, sessions: any WebSessions, cursors: CursorSigner, feed: ChangeFeed, settings: WebSettings,
        deviceTokens: @escaping @Sendable (String?) async throws -> Principal?
    ) async throws {
        self.core = core
        self.deviceTokens = deviceTokens
        self.feed = feed
        self.cursors = cursors
        self.sessions = sessions
        self.settings = settings
        pages = try await PageRenderer.bundled()
        assets = try StaticAssets.bundled()
    }

    public func register<Context: RequestContext & WebRequestContext>(on router: Router<Context>) {
        assets.add(to: router)
        router.get("/") { request, _ in
            var response = Response.redirect(to: "/operations", type: .normal)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("/language") { request, _ in languageSwitch(request) }
        addSignIn(to: router)
        addOperationForms(to: router)
        addOperationPages(to: router)
        addIncidentPages(to: router)
        addCorridorPages(to: router)
        addAdminPages(to: router)
        addMemberPages(to: router)
        addPausePages(to: router)
        addClaimForm(to: router)
        addClaimPages(to: router)
        addPartyForms(to: router)
        addPlanPages(to: router)
        addCorridorForms(to: router)
        addCheckpointForms(to: router)
        addSectorForms(to: router)
        addPauseForms(to: router)
        addDashboardPage(to: router)
        addDashboardStream(to: router)
        addFieldPages(to: router)
    }

    /// `GET /language?to=fr&back=/operations`: keeps the choice in a cookie for a year and
    /// goes back to the page it was made on.
    func languageSwitch(_ request: Request) -> Response {
        let back = Visit.localTarget(request.uri.queryParameters["back"].map(String.init)) ?? "/operations"
        var response = Response.redirect(to: back, type: .normal)
        if let chosen = request.uri.queryParameters["to"].flatMap({ Language(rawValue: String($0)) }) {
            response.setCookie(
                Cookie(
                    name: Language.cookie, value: chosen.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                    secure: settings.secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// How the pages' cookies are set.
public struct WebSettings: Sendable {
    /// `Secure` cookies: the server is reached over TLS.
    public var secureCookies: Bool
    /// How long a session lasts at most, in seconds.
    public var sessionLifetime: Int

    public init(secureCookies: Bool, sessionLifetime: Int) {
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
    }
}
