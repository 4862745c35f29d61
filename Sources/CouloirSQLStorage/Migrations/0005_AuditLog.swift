import CouloirStorage

extension Migration {
    /// The audit log: an entry for every change, the Merkle frontier that extends it in
    /// each change's transaction, the latest digest of each record (the `before` of its
    /// next change), and the signed tree heads. Entries can be appended, never changed
    /// or deleted, unless whoever holds the database drops the guard first: the signed
    /// heads are what catch that. Records stored before this migration have no digest
    /// yet: their first audited change says `before: null`.
    static let auditLog = Migration(version: 5, name: "audit log", statements: auditLogTables)

    private static func auditLogTables(_ dialect: SQLDialectKind) -> [String] {
        let tables = [
            """
            CREATE TABLE audit_events (
                leaf_index BIGINT PRIMARY KEY,
                entry TEXT NOT NULL,
                root TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                size BIGINT NOT NULL,
                frontier TEXT NOT NULL
            )
            """,
            "INSERT INTO audit_state (id, size, frontier) VALUES (1, 0, '')",
            """
            CREATE TABLE audit_latest (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                digest TEXT NOT NULL,
                PRIMARY KEY (kind, id)
            )
            """,
            """
            CREATE TABLE audit_tree_heads (
                size BIGINT PRIMARY KEY,
                root TEXT NOT NULL,
                signed_at TEXT NOT NULL,
                public_key TEXT NOT NULL,
                signature TEXT NOT NULL
            )
            """,
        ]
        switch dialect {
        case .sqlite:
            return tables
                + ["UPDATE", "DELETE"].map { change in
                    """
                    CREATE TRIGGER audit_events_no_\(change.lowercased()) BEFORE \(change) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
                    """
                }
        case .postgres:
            return tables + [
                """
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$
                """,
                """
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """,
            ]
        }
    }
}
