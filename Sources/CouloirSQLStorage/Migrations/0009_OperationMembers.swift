import CouloirStorage

extension Migration {
    /// The organisations taking part in each operation. An operation's maker's
    /// organisation is its first member; an operation made before makers were kept has
    /// every organisation of the time as a member, as every organisation reached it then.
    static let operationMembers = Migration(version: 9, name: "operation members") { _ in
        [
            """
            CREATE TABLE operation_members (
                operation_id TEXT NOT NULL REFERENCES operations (id),
                organisation_id TEXT NOT NULL REFERENCES organisations (id),
                since BIGINT NOT NULL,
                PRIMARY KEY (operation_id, organisation_id)
            )
            """,
            "CREATE INDEX operation_members_by_organisation ON operation_members (organisation_id)",
            """
            INSERT INTO operation_members (operation_id, organisation_id, since)
            SELECT record_id, organisation_id, 0 FROM record_owners WHERE kind = 'operation'
            """,
            """
            INSERT INTO operation_members (operation_id, organisation_id, since)
            SELECT o.id, g.id, 0 FROM operations o CROSS JOIN organisations g
            WHERE NOT EXISTS (SELECT 1 FROM record_owners r WHERE r.kind = 'operation' AND r.record_id = o.id)
            """,
        ]
    }
}
