import CouloirStorage

extension Migration {
    /// Checkpoints become records of their own with a version, and every change of an
    /// incident's or a claim's verification status is kept with its reason and source.
    static let checkpointVersionsAndVerification = Migration(
        version: 2, name: "checkpoint versions and verification changes"
    ) { _ in
        [
            "ALTER TABLE checkpoints ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
            """
            CREATE TABLE verification_changes (
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (record_kind, record_id, seq)
            )
            """,
        ]
    }
}
