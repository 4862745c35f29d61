import CouloirDomain
public import CouloirWeb

/// The pages sign in through the same sessions as the JSON API.
struct WebSessionsAdapter: WebSessions {
    let sessions: SessionAuthenticator

    func signIn(login: String, password: String, address: String) async throws -> WebSignIn {
        switch try await sessions.signIn(login: login, password: password, address: address) {
        case .signedIn(let token, let session, let user): .signedIn(token: token, session: session, user: user)
        case .refused: .refused
        case .throttled(let wait): .throttled(retryAfter: wait)
        }
    }

    func session(forToken token: String) async throws -> (Session, User)? {
        try await sessions.session(forToken: token)
    }

    func signOut(token: String) async throws {
        try await sessions.signOut(token: token)
    }
}

extension CouloirRequestContext: WebRequestContext {
    public var clientAddress: String { address }
}
