public import CouloirDomain
public import Foundation

/// Signed-in users' sessions. Not audited: signing in and out changes no record.
public protocol SessionRepository: Sendable {
    func insert(_ session: Session, tokenDigest: String) async throws
    func session(tokenDigest: String) async throws -> Session?
    /// Notes a request at `instant`.
    func touch(tokenDigest: String, at instant: Date) async throws
    /// Ends a session; ending one that is over changes nothing.
    func deleteSession(tokenDigest: String) async throws
}
