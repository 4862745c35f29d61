import CouloirAccess
public import CouloirDomain
public import CouloirStorage

extension IdentityRepository {
    /// Stores `token` with the digest of a new secret, and returns the secret: the one
    /// time it is seen. (The command line issues tokens for whoever holds the database;
    /// the faces will issue them through an action of the core that checks
    /// `manageTokens`.)
    public func issue(_ token: AccessToken) async throws -> String {
        let secret = TokenSecret.generate()
        try await insert(token, secretDigest: TokenSecret.digest(secret))
        return secret
    }
}
