import CouloirSQLStorage
import CouloirStorage
import SQLKit
import Testing

/// What every SQLite connection is opened with, and what the one that writes adds: a
/// commit is synced to disk before it returns, and a batch's pages stay in memory until
/// its commit.
@Suite("SQLite settings")
struct SQLiteSettingsTests {
    @Test func everyConnectionSyncsItsCommitsAndTheWriterKeepsItsPagesInMemory() async throws {
        try await Backend.sqlite.withFreshDatabase { pool, _ in
            let reader = try await pool.withConnection { try await Self.settings(of: $0) }
            let writer = try await pool.write { try await Self.settings(of: $0) }
            for settings in [reader, writer] {
                #expect(settings.journal == "wal")
                #expect(settings.synchronous == 2, "FULL: the log is synced at every commit")
            }
            #expect(writer.cache == -32 * 1024, "32 MiB")
            #expect(writer.tempStore == 2, "MEMORY")
            #expect(reader.cache != writer.cache && reader.tempStore != 2, "readers keep SQLite's defaults")
        }
    }

    /// A database whose disk is full (SQLite's `SQLITE_FULL`, here from a page limit on
    /// the writer) says so as `StorageError.full`, which the faces answer 503 with
    /// `Retry-After`; the transaction stores nothing and the next write works again.
    @Test func aFullDiskIsSaidAsSuchAndStoresNothing() async throws {
        try await Backend.sqlite.withFreshDatabase { pool, _ in
            let pages = try await pool.write { database in
                try #require(try await database.raw("PRAGMA page_count").first()).decode(
                    column: "page_count", as: Int.self)
            }
            _ = try await pool.write {
                try await $0.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages + 2))").all()
            }
            await #expect(throws: StorageError.full) {
                try await pool.transaction { database in
                    try await database.raw("CREATE TABLE filler (text TEXT)").run()
                    for _ in 0..<50 {
                        try await database.raw(
                            "INSERT INTO filler VALUES (\(bind: String(repeating: "x", count: 4_000)))"
                        ).run()
                    }
                }
            }
            let left = try await pool.withConnection { database in
                try await database.raw("SELECT count(*) AS n FROM sqlite_master WHERE name = 'filler'").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(left == 0, "rolled back")
            _ = try await pool.write { try await $0.raw("PRAGMA max_page_count = 1073741823").all() }
            try await pool.write { try await $0.raw("CREATE TABLE after_full (n INTEGER)").run() }
        }
    }

    private struct Settings: Sendable {
        let journal: String
        let synchronous: Int
        let cache: Int
        let tempStore: Int
    }

    private static func settings(of database: any SQLDatabase) async throws -> Settings {
        func value<T: Decodable>(_ pragma: String, as type: T.Type) async throws -> T {
            let row = try #require(try await database.raw("PRAGMA \(unsafeRaw: pragma)").first())
            return try row.decode(column: pragma, as: type)
        }
        return Settings(
            journal: try await value("journal_mode", as: String.self),
            synchronous: try await value("synchronous", as: Int.self),
            cache: try await value("cache_size", as: Int.self),
            tempStore: try await value("temp_store", as: Int.self))
    }
}
