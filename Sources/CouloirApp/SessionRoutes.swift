import CouloirDomain
import CouloirWeb
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /session` signs in (JSON only: a page of another site cannot send JSON without
/// this server's consent), `GET /session` says who is signed in and gives the CSRF token,
/// `DELETE /session` signs out.
enum SessionRoutes {
    struct Credentials: Decodable {
        let login: String
        let password: String
    }

    struct SignedIn: ResponseEncodable {
        let login: String
        let role: String
        let organisationId: String
        /// Send it as `X-CSRF-Token` with every change made with the session.
        let csrfToken: String
        let idleTimeoutSeconds: Int
        let expiresAt: Date

        init(_ session: Session, _ user: User, _ timeouts: SessionTimeouts) {
            login = user.login
            role = user.role.rawValue
            organisationId = user.organisationID.description
            csrfToken = session.csrfToken
            idleTimeoutSeconds = Int(timeouts.idle)
            expiresAt = session.createdAt.addingTimeInterval(timeouts.absolute)
        }
    }

    static func add(
        to router: Router<CouloirRequestContext>, sessions: SessionAuthenticator, timeouts: SessionTimeouts,
        secureCookies: Bool
    ) {
        router.post("/session") { request, context -> Response in
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                return ProblemResponse.make(
                    status: .unsupportedMediaType, title: "Unsupported Media Type",
                    detail: "Sign in with a JSON body: {\"login\": …, \"password\": …}.")
            }
            let credentials: Credentials
            do {
                let body = try await request.body.collect(upTo: 16 << 10)
                credentials = try JSONDecoder().decode(Credentials.self, from: Data(body.readableBytesView))
            } catch {
                return invalid("/", "must be {\"login\": string, \"password\": string}")
            }
            guard (1...64).contains(credentials.login.utf8.count) else { return invalid("/login", "1 to 64 bytes") }
            guard (1...4096).contains(credentials.password.utf8.count) else {
                return invalid("/password", "1 to 4096 bytes")
            }
            switch try await sessions.signIn(
                login: credentials.login, password: credentials.password, address: context.address)
            {
            case .signedIn(let token, let session, let user):
                var response = try SignedIn(session, user, timeouts).response(from: request, context: context)
                response.setCookie(
                    SessionCookie.make(token, maxAge: Int(timeouts.absolute), for: request, secure: secureCookies))
                return response
            case .refused:
                return ProblemResponse.make(
                    status: .unauthorized, title: "Unauthorized", detail: "The login or the password is wrong.",
                    type: "urn:couloir:problem:sign-in-refused")
            case .throttled(let wait):
                var response = ProblemResponse.make(
                    status: .tooManyRequests, title: "Too Many Requests",
                    detail: "Too many failed sign-ins from here or for this account; try again later.",
                    type: "urn:couloir:problem:throttled")
                response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return response
            }
        }
        router.get("/session") { request, context -> Response in
            guard let token = request.cookies[SessionCookie.name]?.value,
                let (session, user) = try await sessions.session(forToken: token)
            else {
                return ProblemResponse.make(status: .unauthorized, title: "Unauthorized", detail: "Not signed in.")
            }
            return try SignedIn(session, user, timeouts).response(from: request, context: context)
        }
        router.delete("/session") { request, _ -> Response in
            if let token = request.cookies[SessionCookie.name]?.value,
                let (session, _) = try await sessions.session(forToken: token)
            {
                guard session.accepts(csrfToken: request.headers[.csrfToken]) else {
                    return ProblemResponse.make(
                        status: .forbidden, title: "Forbidden", detail: "Signing out needs the session's X-CSRF-Token.",
                        type: "urn:couloir:problem:csrf")
                }
                try await sessions.signOut(token: token)
            }
            var response = Response(status: .noContent)
            response.setCookie(SessionCookie.make("", maxAge: 0, for: request, secure: secureCookies))
            return response
        }
    }

    static func invalid(_ pointer: String, _ reason: String) -> Response {
        ProblemResponse.make(
            status: .unprocessableContent, title: "Invalid request", detail: "\(pointer): \(reason)",
            type: "urn:couloir:problem:invalid")
    }
}
