import CouloirAccess
import CouloirDomain
import CouloirStorage
import Foundation

/// Signs users in and out and finds the principal a session cookie acts for.
///
/// A session's token is 256 random bits, new at every sign-in; only its SHA-256 is
/// stored. What a lookup finds (the session and its user) is kept for at most half a
/// second, so a session ended elsewhere (on another server too), or a user disabled,
/// stops working within a second, the lookup's own time included; one ended here stops
/// at once.
actor SessionAuthenticator {
    private let sessions: any SessionRepository
    private let identities: any IdentityRepository
    private let hasher: PasswordHasher
    private let timeouts: SessionTimeouts
    private let now: @Sendable () -> Date
    private var throttle: LoginThrottle
    private var known: [String: Known] = [:]

    static let freshness: TimeInterval = 0.5
    /// Sign-ins being checked at once, at most, from addresses unknown to their account;
    /// bcrypt takes a quarter of a second each on its one thread. Sign-ins from an
    /// address their account signed in from before have as many places of their own, so
    /// that a flood of guesses from elsewhere never turns a known user away.
    static let maximumChecking = 8
    private var checking = 0
    private var checkingKnown = 0
    static let capacity = 10_000

    private struct Known {
        var session: Session
        var user: User
        var checkedAt: Date
    }

    /// What became of a sign-in.
    enum SignIn {
        case signedIn(token: String, session: Session, user: User)
        /// Wrong login or password, or a disabled user: the same answer for each.
        case refused
        /// Too many failures from this address or against this account: wait.
        case throttled(retryAfter: TimeInterval)
    }

    init(
        sessions: any SessionRepository, identities: any IdentityRepository, hasher: PasswordHasher,
        timeouts: SessionTimeouts, throttle: LoginThrottle, now: @escaping @Sendable () -> Date
    ) {
        self.sessions = sessions
        self.identities = identities
        self.hasher = hasher
        self.timeouts = timeouts
        self.throttle = throttle
        self.now = now
    }

    func signIn(login: String, password: String, address: String) async throws -> SignIn {
        let stored: User
        switch try await check(login: login, password: password, address: address) {
        case .matched(let user): stored = user
        case .refused(let refusal): return refusal
        }
        let token = Self.randomToken()
        let instant = now()
        let session = Session(
            userID: stored.id, csrfToken: Self.randomToken(), createdAt: instant, lastSeenAt: instant)
        try await sessions.insert(session, tokenDigest: TokenSecret.digest(token))
        return .signedIn(token: token, session: session, user: stored)
    }

    /// The user whose login and password these are, for a face that authenticates each
    /// request (OpenRosa's HTTP Basic), throttled as sign-ins are: the user, or the
    /// sign-in's refusal (`.refused`, or `.throttled` with how long to wait).
    func user(login: String, password: String, address: String) async throws -> Checked {
        try await check(login: login, password: password, address: address)
    }

    enum Checked {
        case matched(User)
        case refused(SignIn)
    }

    /// Checks a login and password under the throttle; the user when they match an
    /// enabled account.
    private func check(login: String, password: String, address: String) async throws -> Checked {
        let account = login.lowercased()
        // Guesses waiting for bcrypt are few: beyond them, a flood is turned away at once,
        // in its own lane.
        let knownAddress = throttle.knows(account: account, address: address)
        guard (knownAddress ? checkingKnown : checking) < Self.maximumChecking else {
            return .refused(.throttled(retryAfter: 1))
        }
        if let wait = throttle.admit(account: account, address: address, at: now()) {
            return .refused(.throttled(retryAfter: wait))
        }
        if knownAddress { checkingKnown += 1 } else { checking += 1 }
        defer { if knownAddress { checkingKnown -= 1 } else { checking -= 1 } }
        let stored = try await identities.user(login: account)
        // An unknown login costs the same bcrypt as a known one, so that timing does not
        // tell which logins exist.
        let hash: String
        if let stored { hash = stored.passwordHash } else { hash = try await decoyHash() }
        let matches = try await hasher.verify(password, against: hash)
        guard let stored, matches, !stored.user.disabled else { return .refused(.refused) }
        throttle.succeeded(account: account, address: address, at: now())
        return .matched(stored.user)
    }

    func signOut(token: String) async throws {
        let digest = TokenSecret.digest(token)
        known[digest] = nil
        try await sessions.deleteSession(tokenDigest: digest)
    }

    /// The session `token` opens and its user, `nil` when it is unknown, timed out, or
    /// its user is disabled.
    func session(forToken token: String) async throws -> (Session, User)? {
        let digest = TokenSecret.digest(token)
        let instant = now()
        var entry: Known
        if let cached = known[digest], instant.timeIntervalSince(cached.checkedAt) < Self.freshness,
            instant >= cached.checkedAt
        {
            entry = cached
        } else {
            guard let session = try await sessions.session(tokenDigest: digest),
                let user = try await identities.user(session.userID)?.user
            else {
                known[digest] = nil
                return nil
            }
            entry = Known(session: session, user: user, checkedAt: instant)
        }
        guard entry.session.isLive(at: instant, under: timeouts), !entry.user.disabled else {
            known[digest] = nil
            try await sessions.deleteSession(tokenDigest: digest)
            return nil
        }
        if instant.timeIntervalSince(entry.session.lastSeenAt) >= timeouts.touchResolution {
            entry.session.lastSeenAt = instant
            try await sessions.touch(tokenDigest: digest, at: instant)
        }
        if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
        known[digest] = entry
        return (entry.session, entry.user)
    }

    /// 256 random bits, base64url.
    static func randomToken() -> String {
        TokenSecret.random256Bits()
    }

    private var decoy: String?

    /// A hash of a password nobody knows, at the same cost, checked when the login is
    /// unknown.
    private func decoyHash() async throws -> String {
        if let decoy { return decoy }
        let hash = try await hasher.hash(Self.randomToken())
        decoy = hash
        return hash
    }
}
