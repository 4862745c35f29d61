import CouloirStorage

extension Migration {
    /// Organisations, users with their password hashes, and access tokens with the
    /// SHA-256 of their secrets; never a secret itself.
    static let identities = Migration(version: 6, name: "identities") { _ in
        [
            """
            CREATE TABLE organisations (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                version INTEGER NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations (id),
                login TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                assignment TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                version INTEGER NOT NULL DEFAULT 1
            )
            """,
            """
            CREATE TABLE access_tokens (
                id TEXT PRIMARY KEY,
                organisation_id TEXT NOT NULL REFERENCES organisations (id),
                label TEXT NOT NULL,
                role TEXT NOT NULL,
                assignment TEXT NOT NULL,
                secret_digest TEXT NOT NULL UNIQUE,
                issued_at BIGINT NOT NULL,
                revoked_at BIGINT,
                last_used_at BIGINT
            )
            """,
        ]
    }
}
