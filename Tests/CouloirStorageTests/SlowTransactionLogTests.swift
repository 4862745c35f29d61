import CouloirSQLStorage
import Foundation
import Logging
import SQLKit
import Synchronization
import Testing

/// A transaction that holds the database long enough to be felt (a disk that stalls its
/// sync, statements that crawl) is logged with where its time went, so that an operator
/// can tell a slow disk from slow statements.
@Suite("Slow transactions logged")
struct SlowTransactionLogTests {
    @Test func aSlowTransactionIsLoggedWithWhereItsTimeWent() async throws {
        let warnings = Warnings()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-slow-\(UUID()).sqlite").path
        let pool = try DatabasePool(
            .sqlite(path: path), logger: Logger(label: "couloir.tests") { _ in WarningHandler(warnings: warnings) })
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            try await pool.withConnection { try await $0.raw("CREATE TABLE probe (n INTEGER)").run() }
            try await pool.transaction { database in
                try await database.raw("INSERT INTO probe VALUES (1)").run()
                try await Task.sleep(for: .milliseconds(120))
            }
        } catch {
            try? await pool.shutdown()
            throw error
        }
        try await pool.shutdown()

        let logged = try #require(warnings.all.first { $0.message == "storage.slow_transaction" })
        let statements = try #require(logged.metadata["statements_ms"].flatMap(Double.init))
        #expect(statements >= 120)
        #expect(logged.metadata["begin_ms"].flatMap(Double.init) != nil)
        #expect(logged.metadata["commit_ms"].flatMap(Double.init) != nil)
    }

    private final class Warnings: Sendable {
        struct Entry: Sendable {
            let message: String
            let metadata: [String: String]
        }
        private let entries = Mutex<[Entry]>([])
        var all: [Entry] { entries.withLock { $0 } }
        func add(_ entry: Entry) { entries.withLock { $0.append(entry) } }
    }

    /// Keeps what is logged at `warning` and above.
    private struct WarningHandler: LogHandler {
        let warnings: Warnings
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            warnings.add(
                .init(message: event.message.description, metadata: (event.metadata ?? [:]).mapValues { "\($0)" }))
        }
    }
}
