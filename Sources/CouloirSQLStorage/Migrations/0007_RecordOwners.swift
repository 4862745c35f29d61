import CouloirStorage

extension Migration {
    /// Who made each record created by a user or a token: the organisation it belongs to
    /// and the user or token, kept beside the record so that access can be decided
    /// without changing the record or its audit digest. Never changed once written.
    static let recordOwners = Migration(version: 7, name: "record owners") { _ in
        [
            """
            CREATE TABLE record_owners (
                kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                operation_id TEXT NOT NULL,
                organisation_id TEXT NOT NULL REFERENCES organisations (id),
                actor TEXT NOT NULL,
                PRIMARY KEY (kind, record_id)
            )
            """,
            "CREATE INDEX record_owners_by_operation ON record_owners (operation_id)",
        ]
    }
}
