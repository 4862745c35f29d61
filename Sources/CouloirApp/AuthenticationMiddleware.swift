import CouloirAPI
import Hummingbird

/// Refuses any request to the JSON API without a live access token, with 401 and a
/// `WWW-Authenticate` challenge (RFC 6750), and runs the others as the token's principal.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let authenticator: TokenAuthenticator

    static var protectedPrefix: String { "/api/v1/" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix(Self.protectedPrefix) || request.uri.path == "/api/v1" else {
            return try await next(request, context)
        }
        guard let secret = Self.bearerToken(in: request.headers[.authorization]) else {
            return Self.unauthenticated(
                "This request needs an access token: send it as 'Authorization: Bearer <token>'.", error: nil)
        }
        guard let principal = try await authenticator.principal(forSecret: secret) else {
            return Self.unauthenticated("The access token is unknown or revoked.", error: "invalid_token")
        }
        return try await RequestPrincipal.$current.withValue(principal) {
            try await next(request, context)
        }
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
