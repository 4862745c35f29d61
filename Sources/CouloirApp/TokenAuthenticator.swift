import CouloirAccess
import CouloirDomain
import CouloirStorage
import Foundation

/// Finds the principal a bearer token acts for. What it finds is kept for at most half a
/// second, so a revoked token stops working within a second (on every server, the
/// lookup's own time included) without a database read on every request; a token's
/// last use is written at most once a minute.
actor TokenAuthenticator {
    private let identities: any IdentityRepository
    private let now: @Sendable () -> Date
    private var known: [String: Known] = [:]

    /// How long a lookup, found or not, is trusted.
    static let freshness: TimeInterval = 0.5
    /// How finely a token's last use is recorded.
    static let useResolution: TimeInterval = 60
    /// Lookups kept at most; beyond, all are forgotten (they are a second's worth).
    static let capacity = 10_000

    private struct Known {
        var principal: Principal?
        var tokenID: AccessToken.ID?
        var checkedAt: Date
        var useRecordedAt: Date?
    }

    init(identities: any IdentityRepository, now: @escaping @Sendable () -> Date) {
        self.identities = identities
        self.now = now
    }

    /// The principal `secret` acts for, `nil` when it is no live token.
    func principal(forSecret secret: String) async throws -> Principal? {
        // Only the digest is kept, here as in the database.
        let digest = TokenSecret.digest(secret)
        let instant = now()
        var entry: Known
        if let cached = known[digest], instant.timeIntervalSince(cached.checkedAt) < Self.freshness {
            entry = cached
        } else {
            let stored = try await identities.token(secretDigest: digest)
            let live = stored.flatMap { $0.token.revokedAt == nil ? $0 : nil }
            entry = Known(
                principal: live.map { Principal($0.token) }, tokenID: live?.token.id, checkedAt: instant,
                useRecordedAt: known[digest]?.useRecordedAt ?? stored?.lastUsedAt)
        }
        if let id = entry.tokenID,
            entry.useRecordedAt.map({ instant.timeIntervalSince($0) >= Self.useResolution }) ?? true
        {
            entry.useRecordedAt = instant
            try await identities.recordUse(of: id, at: instant)
        }
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[digest] = entry
        return entry.principal
    }
}
