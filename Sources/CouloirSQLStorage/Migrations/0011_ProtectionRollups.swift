import CouloirStorage

extension Migration {
    /// Protection figures by quarter-hour (people by sex and age, people counted without
    /// that breakdown, unaccompanied children, vehicles by kind), kept like the flow
    /// rollups in each tally's transaction; filled in from the tallies already stored.
    static let protectionRollups = Migration(
        version: 11, name: "protection rollups", data: { try await SQLRepository.rebuildProtection(on: $0) },
        statements: protectionTable)

    private static func protectionTable(_ dialect: SQLDialectKind) -> [String] {
        // SQLite keeps these rows in their key's order without a second copy.
        let keyed = dialect == .sqlite ? " WITHOUT ROWID" : ""
        return [
            """
            CREATE TABLE protection_quarters (
                operation_id TEXT NOT NULL REFERENCES operations (id),
                quarter BIGINT NOT NULL,
                checkpoint_id TEXT NOT NULL REFERENCES checkpoints (id),
                direction TEXT NOT NULL,
                measure TEXT NOT NULL,
                amount BIGINT NOT NULL,
                PRIMARY KEY (operation_id, quarter, checkpoint_id, direction, measure)
            )\(keyed)
            """
        ]
    }
}
