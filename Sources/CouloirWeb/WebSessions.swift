public import CouloirDomain
public import Foundation

/// What the pages need of the server's sessions (the same sessions the JSON API's
/// cookie opens): sign in, find the session a cookie opens, sign out.
public protocol WebSessions: Sendable {
    func signIn(login: String, password: String, address: String) async throws -> WebSignIn
    /// The session `token` opens and its user, `nil` when it is unknown, over, or its
    /// user disabled.
    func session(forToken token: String) async throws -> (Session, User)?
    func signOut(token: String) async throws
}

public enum WebSignIn: Sendable {
    case signedIn(token: String, session: Session, user: User)
    /// Wrong login or password, or a disabled user: one answer for each.
    case refused
    case throttled(retryAfter: TimeInterval)
}

/// The request context the pages run in: Hummingbird's, with the client's address, by
/// which sign-ins are throttled.
public protocol WebRequestContext: Sendable {
    var clientAddress: String { get }
}
