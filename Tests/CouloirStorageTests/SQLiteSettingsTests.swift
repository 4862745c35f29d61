import CouloirSQLStorage
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
