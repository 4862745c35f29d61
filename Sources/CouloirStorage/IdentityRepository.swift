public import CouloirDomain
public import Foundation

/// A user as stored, with the hash to check a password against.
public struct StoredUser: Hashable, Sendable {
    public var user: User
    public var passwordHash: String
    public var version: Int

    public init(user: User, passwordHash: String, version: Int) {
        self.user = user
        self.passwordHash = passwordHash
        self.version = version
    }
}

/// A token as stored, and when it was last used.
public struct StoredToken: Hashable, Sendable {
    public var token: AccessToken
    public var lastUsedAt: Date?

    public init(token: AccessToken, lastUsedAt: Date?) {
        self.token = token
        self.lastUsedAt = lastUsedAt
    }
}

/// Organisations, users and access tokens.
public protocol IdentityRepository: Sendable {
    func insert(_ organisation: Organisation) async throws
    func organisation(named name: String) async throws -> Organisation?
    /// Every organisation, by name.
    func organisations() async throws -> [Organisation]

    /// Stores a user with the bcrypt hash of their password; a taken login is a duplicate.
    func insert(_ user: User, passwordHash: String) async throws
    func user(login: String) async throws -> StoredUser?
    func user(_ id: User.ID) async throws -> StoredUser?
    /// The organisation's users, by login.
    func users(of organisationID: Organisation.ID) async throws -> [StoredUser]
    /// Disables or re-enables a user; their sessions and tokens stop working at once.
    func setDisabled(_ disabled: Bool, user id: User.ID) async throws -> StoredUser

    /// Replaces a user's password hash; the audit log notes the change, never the hash.
    func setPasswordHash(_ passwordHash: String, user id: User.ID) async throws -> StoredUser

    /// Stores a token with the digest of its secret, never the secret.
    func insert(_ token: AccessToken, secretDigest: String) async throws
    /// The token whose secret has this digest, revoked or not.
    func token(secretDigest: String) async throws -> StoredToken?
    /// The organisation's tokens, newest first.
    func tokens(of organisationID: Organisation.ID) async throws -> [StoredToken]
    /// Revokes a token; revoking it again changes nothing and returns it as it stands.
    func revoke(_ id: AccessToken.ID, at instant: Date) async throws -> StoredToken
    /// Notes that a token was used. Not an audited change: it would write an entry for
    /// every request.
    func recordUse(of id: AccessToken.ID, at instant: Date) async throws
}

extension IdentityRepository {
    /// The organisation named, made first if there is none, and whether it was made.
    public func findOrAddOrganisation(named name: String) async throws -> (organisation: Organisation, added: Bool) {
        if let existing = try await organisation(named: name) { return (existing, false) }
        let organisation = Organisation(name: name)
        try await insert(organisation)
        return (organisation, true)
    }
}
