import CouloirStorage

extension Migration {
    /// Which audit entries concern which record, so that a record's history is read
    /// without walking the log. Tallies are left out: they never change after they are
    /// stored, and indexing each would cost the hot path a write. Entries written before
    /// the index are indexed from their text.
    static let auditRecordIndex = Migration(version: 10, name: "audit record index") { dialect in
        let kind: String
        let id: String
        switch dialect {
        case .sqlite:
            kind = "json_extract(entry, '$.kind')"
            id = "json_extract(entry, '$.id')"
        case .postgres:
            kind = "(entry::json ->> 'kind')"
            id = "(entry::json ->> 'id')"
        }
        return [
            """
            CREATE TABLE audit_records (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                leaf_index BIGINT NOT NULL REFERENCES audit_events (leaf_index),
                PRIMARY KEY (kind, id, leaf_index)
            )
            """,
            """
            INSERT INTO audit_records (kind, id, leaf_index)
            SELECT \(kind), \(id), leaf_index FROM audit_events WHERE \(kind) <> 'tally'
            """,
        ]
    }
}
