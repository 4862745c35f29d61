import CouloirStorage
public import Logging
import SQLKit

/// Brings a database's schema up to date, and refuses one written by a newer Couloir.
public struct Migrator: Sendable {
    let pool: DatabasePool
    let migrations: [Migration]

    public init(pool: DatabasePool, migrations: [Migration] = Migration.all) {
        self.pool = pool
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The highest version applied, 0 for an empty database.
    public func currentVersion() async throws -> Int {
        try await pool.withConnection { database in
            try await Self.createLedger(on: database)
            return try await Self.appliedVersion(on: database)
        }
    }

    /// Throws unless the schema is exactly the one this build knows.
    public func checkUpToDate() async throws {
        let current = try await currentVersion()
        if current > latestVersion {
            throw StorageError.databaseFromNewerVersion(found: current, supported: latestVersion)
        }
        if current < latestVersion {
            throw StorageError.migrationsPending(current: current, latest: latestVersion)
        }
    }

    /// Applies every pending migration, each in its own transaction, and returns the
    /// versions applied. Safe to run from several instances at once.
    @discardableResult
    public func migrate(logger: Logger) async throws -> [Int] {
        let dialect: SQLDialectKind = pool.isPostgres ? .postgres : .sqlite
        try await pool.withConnection { try await Self.createLedger(on: $0) }
        var applied: [Int] = []
        for migration in migrations {
            let ran = try await pool.transaction { database in
                if dialect == .postgres {
                    // Serialises migrators on several instances until this transaction ends.
                    try await database.raw("SELECT pg_advisory_xact_lock(7011900)").run()
                }
                let current = try await Self.appliedVersion(on: database)
                if current > latestVersion {
                    throw StorageError.databaseFromNewerVersion(found: current, supported: latestVersion)
                }
                guard migration.version > current else { return false }
                for statement in migration.statements(dialect) {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await migration.data?(database)
                try await database.insert(into: "schema_migrations")
                    .columns("version", "name")
                    .values(SQLBind(migration.version), SQLBind(migration.name))
                    .run()
                return true
            }
            if ran {
                logger.info(
                    "storage.migrated",
                    metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
                applied.append(migration.version)
            }
        }
        return applied
    }

    private static func createLedger(on database: any SQLDatabase) async throws {
        try await database.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
        ).run()
    }

    private static func appliedVersion(on database: any SQLDatabase) async throws -> Int {
        let row = try await database.raw("SELECT MAX(version) AS version FROM schema_migrations").first()
        return try row?.decode(column: "version", as: Int?.self) ?? 0
    }
}
