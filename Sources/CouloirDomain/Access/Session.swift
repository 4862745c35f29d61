public import Foundation

/// A signed-in user's session: what the server keeps of it. The cookie holds a random
/// token; only its SHA-256 is kept, as the session's key.
public struct Session: Hashable, Sendable {
    public var userID: User.ID
    /// Sent back by the browser in `X-CSRF-Token` (or a form's `csrf` field) with every
    /// request that changes something; a page of another site cannot read it.
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date

    public init(userID: User.ID, csrfToken: String, createdAt: Date, lastSeenAt: Date) {
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }

    /// Whether `sent` is this session's CSRF token, compared in constant time so that the
    /// time taken tells nothing of how much of it was right.
    public func accepts(csrfToken sent: String?) -> Bool {
        guard let sent, sent.utf8.count == csrfToken.utf8.count else { return false }
        return zip(sent.utf8, csrfToken.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether the session still holds at `instant` under `timeouts`.
    public func isLive(at instant: Date, under timeouts: SessionTimeouts) -> Bool {
        instant.timeIntervalSince(lastSeenAt) < timeouts.idle
            && instant.timeIntervalSince(createdAt) < timeouts.absolute
            && instant >= createdAt
    }
}

/// How long a session lasts: unused, and at all.
public struct SessionTimeouts: Hashable, Sendable {
    /// Ended after this long without a request.
    public var idle: TimeInterval
    /// Ended this long after sign-in, however busy.
    public var absolute: TimeInterval
    /// How finely the last request's time is written: a session in use is written at
    /// most once per this interval, not on every request.
    public var touchResolution: TimeInterval

    public init(idle: TimeInterval = 30 * 60, absolute: TimeInterval = 12 * 3600, touchResolution: TimeInterval = 60) {
        self.idle = idle
        self.absolute = absolute
        self.touchResolution = touchResolution
    }

    public static let standard = SessionTimeouts()
}
