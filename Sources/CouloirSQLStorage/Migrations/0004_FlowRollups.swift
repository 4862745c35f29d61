import CouloirStorage

extension Migration {
    /// Flows by quarter-hour and a summary of tallies by checkpoint, kept up to date in
    /// each tally's transaction so that figures cost the same at any number of tallies;
    /// filled in from the tallies already stored.
    static let flowRollups = Migration(
        version: 4, name: "flow rollups", data: { try await SQLRepository.rebuildFlows(on: $0) },
        statements: flowRollupTables)

    private static func flowRollupTables(_ dialect: SQLDialectKind) -> [String] {
        // SQLite keeps these rows in their key's order without a second copy.
        let keyed = dialect == .sqlite ? " WITHOUT ROWID" : ""
        return [
            """
            CREATE TABLE flow_quarters (
                operation_id TEXT NOT NULL REFERENCES operations (id),
                quarter BIGINT NOT NULL,
                checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
                direction TEXT NOT NULL,
                grp TEXT NOT NULL,
                people BIGINT NOT NULL,
                PRIMARY KEY (operation_id, quarter, checkpoint_id, direction, grp)
            )\(keyed)
            """,
            """
            CREATE TABLE tally_summaries (
                operation_id TEXT NOT NULL REFERENCES operations (id),
                checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
                received BIGINT NOT NULL,
                effective BIGINT NOT NULL,
                illustrative BIGINT NOT NULL,
                last_received_at BIGINT NOT NULL,
                PRIMARY KEY (operation_id, checkpoint_id)
            )\(keyed)
            """,
        ]
    }
}
