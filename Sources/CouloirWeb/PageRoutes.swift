import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import HTTPTypes
import Hummingbird

/// How a page is reached: signed in (or sent to sign in, and brought back), and for a
/// form, from this server's own page with the session's form token.
extension WebFace {
    typealias PageHandler = @Sendable (PageRequest) async throws -> Response
    typealias FormHandler = @Sendable (PageRequest, FormBody) async throws -> Response

    func page<Context: RequestContext & WebRequestContext>(
        _ router: Router<Context>, _ path: RouterPath, _ handler: @escaping PageHandler
    ) {
        router.get(path) { request, context in
            try await signedIn(request) { visit in
                try await handler(PageRequest(request: request, parameters: context.parameters, visit: visit))
            }
        }
    }

    func form<Context: RequestContext & WebRequestContext>(
        _ router: Router<Context>, _ path: RouterPath, _ handler: @escaping FormHandler
    ) {
        router.post(path) { request, context in
            try await signedIn(request) { visit in
                guard Self.isSameOrigin(request) else { return refusal(.forbidden, "error.cross_site", visit) }
                guard let form = try await Self.readForm(request) else {
                    return refusal(.badRequest, "error.malformed_form", visit)
                }
                guard visit.signedIn!.session.accepts(csrfToken: form["csrf"]) else {
                    return refusal(.forbidden, "error.form_token", visit)
                }
                return try await handler(
                    PageRequest(request: request, parameters: context.parameters, visit: visit), form)
            }
        }
    }

    /// Runs `body` for the signed-in user, or sends the browser to the sign-in page,
    /// saying the session ended when a cookie was sent, and coming back afterwards.
    /// What the core hides answers 404 and what it forbids 403, as pages.
    func signedIn(_ request: Request, _ body: (Visit) async throws -> Response) async throws -> Response {
        var visit = Visit(request, catalogues: pages.catalogues)
        let cookie = request.cookies[SessionCookie.name]?.value
        guard let cookie, let (session, user) = try await sessions.session(forToken: cookie) else {
            // After a form's POST, come back to the page the form was on.
            let back = request.method == .get ? visit.target : nil
            var location = "/sign-in"
            var query: [String] = []
            if let back { query.append("next=" + FormBody.encode(back)) }
            if cookie != nil { query.append("expired=1") }
            if !query.isEmpty { location += "?" + query.joined(separator: "&") }
            return .redirect(to: location, type: .normal)
        }
        visit.signedIn = Visit.SignedIn(
            user: user, session: session, rights: core.administration(as: Principal(user)))
        do {
            return try await body(visit)
        } catch StorageError.invalidCursor {
            // A link to a next page that this server did not hand out, or altered.
            return refusal(.badRequest, "error.bad_cursor", visit)
        } catch DomainError.conflict, DomainError.illegalTransition {
            return refusal(.conflict, "error.conflict", visit)
        } catch let error as CoreError {
            switch error {
            case .hidden: return refusal(.notFound, "error.not_found", visit)
            case .forbidden, .forbiddenAction, .notCountingAt: return refusal(.forbidden, "error.forbidden", visit)
            case .versionRequired, .stale: throw error
            }
        }
    }

    /// A page saying why nothing is shown or nothing was done.
    func refusal(_ status: HTTPResponse.Status, _ key: String, _ visit: Visit) -> Response {
        pages.render(
            "refusal", title: visit.text(key + "_title"), view: ["message": visit.text(key)], visit: visit,
            status: status)
    }

    /// The form's fields, `nil` when the body is not a form, too large, or malformed.
    static func readForm(_ request: Request) async throws -> FormBody? {
        guard let type = request.headers[.contentType]?.lowercased(),
            type.hasPrefix("application/x-www-form-urlencoded")
        else { return nil }
        guard let buffer = try? await request.body.collect(upTo: FormBody.maximumBytes) else { return nil }
        return FormBody(buffer.readableBytesView)
    }

    /// Whether a POST comes from this server's own pages: the browser says so in
    /// `Sec-Fetch-Site`, or its `Origin` names this host. A request saying neither is
    /// refused: every browser that runs the pages sends one of them.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            return site == "same-origin" || site == "none"
        }
        guard let origin = request.headers[.origin], let host = request.head.authority,
            let url = URL(string: origin), let originHost = url.host
        else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }
}

extension Response {
    /// POST → 303 → GET: a reload never sends a form twice.
    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// A page's request: the HTTP request, the path's parameters and the visit.
struct PageRequest: Sendable {
    let request: Request
    let parameters: Parameters
    let visit: Visit

    /// The record id the path names at `parameter`: one that is no UUID names no record,
    /// and is answered as one that does not exist.
    func id<T>(_ parameter: String, kind: String) throws -> Identifier<T> {
        let text = parameters.get(parameter) ?? ""
        guard let id = Identifier<T>(text) else { throw CoreError.hidden(kind: kind, id: text) }
        return id
    }

    var query: [String: String] {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where query[String(name)] == nil {
            query[String(name)] = String(value)
        }
        return query
    }
}
