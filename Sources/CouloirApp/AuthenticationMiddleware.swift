import CouloirAPI
import CouloirDomain
import CouloirWeb
import Foundation
import HTTPTypes
import Hummingbird

/// Refuses any request to the JSON API without a live access token or session, with 401
/// and a `WWW-Authenticate` challenge (RFC 6750), and runs the others as their
/// principal. A request authenticated by its session cookie that changes anything must
/// also carry the session's CSRF token in `X-CSRF-Token`: another site's page can make
/// the browser send the cookie, never read the token.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: TokenAuthenticator
    let sessions: SessionAuthenticator

    static var protectedPrefix: String { "/api/v1/" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix(Self.protectedPrefix) || request.uri.path == "/api/v1" else {
            return try await next(request, context)
        }
        let principal: Principal
        if let header = request.headers[.authorization] {
            guard let secret = Self.bearerToken(in: header) else {
                return Self.unauthenticated("Send the access token as 'Authorization: Bearer <token>'.", error: nil)
            }
            guard let found = try await tokens.principal(forSecret: secret) else {
                return Self.unauthenticated("The access token is unknown or revoked.", error: "invalid_token")
            }
            principal = found
        } else if let cookie = request.cookies[SessionCookie.name]?.value {
            guard let (session, user) = try await sessions.session(forToken: cookie) else {
                return Self.unauthenticated("The session is over; sign in again.", error: nil)
            }
            if !Self.isSafe(request.method),
                !session.accepts(csrfToken: request.headers[.csrfToken])
            {
                return ProblemResponse.make(
                    status: .forbidden, title: "Forbidden",
                    detail: "A change made with a session needs the session's X-CSRF-Token header (GET /session).",
                    type: "urn:couloir:problem:csrf")
            }
            principal = Principal(user)
        } else {
            return Self.unauthenticated(
                "This request needs an access token ('Authorization: Bearer <token>') or a session.", error: nil)
        }
        return try await RequestPrincipal.$current.withValue(principal) {
            try await next(request, context)
        }
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        [.get, .head, .options].contains(method)
    }

    /// The token of an `Authorization: Bearer <token>` header; the scheme is
    /// case-insensitive (RFC 9110), the token is not.
    static func bearerToken(in header: String?) -> String? {
        guard let header, header.count <= 512 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    static func unauthenticated(_ detail: String, error: String?) -> Response {
        var response = ProblemResponse.make(
            status: .unauthorized, title: "Unauthorized", detail: detail, type: "urn:couloir:problem:unauthenticated")
        response.headers[.wwwAuthenticate] = API.bearerChallenge + (error.map { #", error="\#($0)""# } ?? "")
        return response
    }
}

extension HTTPField.Name {
    static let csrfToken = Self("X-CSRF-Token")!
}
