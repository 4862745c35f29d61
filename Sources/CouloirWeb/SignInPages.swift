import CouloirDomain
import Foundation
import HTTPTypes
import Hummingbird

/// The sign-in page and signing out. A sign-in is taken only from this server's own
/// page (`Sec-Fetch-Site` or `Origin`): another site cannot sign a browser in to an
/// account of its choosing (login CSRF).
extension WebFace {
    func addSignIn<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        router.get("/sign-in") { request, _ in
            let visit = Visit(request, catalogues: pages.catalogues)
            let query = request.uri.queryParameters
            let message =
                query["expired"] == "1" ? "sign_in.expired" : query["signed-out"] == "1" ? "sign_in.signed_out" : nil
            return signInPage(visit, next: query["next"].map(String.init), login: "", message: message)
        }
        router.post("/sign-in") { request, context in
            let visit = Visit(request, catalogues: pages.catalogues)
            guard Self.isSameOrigin(request) else { return refusal(.forbidden, "error.cross_site", visit) }
            guard let form = try await Self.readForm(request) else {
                return refusal(.badRequest, "error.malformed_form", visit)
            }
            let next = form["next"]
            guard let login = form["login"], let password = form.values["password"]?.first, !password.isEmpty,
                login.utf8.count <= 64, password.utf8.count <= 4096
            else {
                return signInPage(
                    visit, next: next, login: form.raw("login"), message: "sign_in.missing",
                    status: .unprocessableContent)
            }
            switch try await sessions.signIn(login: login, password: password, address: context.clientAddress) {
            case .signedIn(let token, _, _):
                var response = Response.seeOther(Visit.localTarget(next) ?? "/operations")
                response.setCookie(
                    SessionCookie.make(
                        token, maxAge: settings.sessionLifetime, for: request, secure: settings.secureCookies))
                return response
            case .refused:
                return signInPage(visit, next: next, login: login, message: "sign_in.refused", status: .unauthorized)
            case .throttled(let wait):
                var response = signInPage(
                    visit, next: next, login: login, message: "sign_in.throttled", status: .tooManyRequests)
                response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return response
            }
        }
        form(router, "/sign-out") { page, _ in
            if let token = page.request.cookies[SessionCookie.name]?.value {
                try await sessions.signOut(token: token)
            }
            var response = Response.seeOther("/sign-in?signed-out=1")
            response.setCookie(SessionCookie.make("", maxAge: 0, for: page.request, secure: settings.secureCookies))
            return response
        }
    }

    func signInPage(
        _ visit: Visit, next: String?, login: String, message: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        var view: [String: Any] = ["login": login]
        if let next = Visit.localTarget(next) { view["next"] = next }
        if let message { view["message"] = visit.text(message) }
        return pages.render(
            "sign-in", title: visit.text("sign_in.title"), view: view, visit: visit, status: status)
    }
}
