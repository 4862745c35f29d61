import CouloirStorage

extension Migration {
    /// Signed-in users' sessions, keyed by the SHA-256 of the cookie's token; never the
    /// token itself.
    static let sessions = Migration(version: 8, name: "sessions") { _ in
        [
            """
            CREATE TABLE sessions (
                token_digest TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id),
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_by_user ON sessions (user_id)",
        ]
    }
}
