import CouloirSQLStorage
import Foundation
import Logging
import SQLKit
import Synchronization
import Testing

/// A transaction that waits long enough to be felt, for the write lock or for the disk
/// to sync its commit, is logged with where its time went, so that an operator can tell
/// a slow disk or another writer from slow statements.
@Suite("Slow transactions logged")
struct SlowTransactionLogTests {
    @Test func aTransactionKeptWaitingForTheWriteLockIsLogged() async throws {
        let warnings = Warnings()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-slow-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        // Two pools on one file, as a command beside the server: the other takes the
        // write lock, then holds it for a second from the moment this one is about to
        // begin. Counted from then, not from when the lock was taken: on a loaded host
        // this task once woke more than a second after the lock was taken, found it
        // free, and waited for nothing. A late wake of the holder only holds it longer.
        let pool = try DatabasePool(
            .sqlite(path: path), logger: Logger(label: "couloir.tests") { _ in WarningHandler(warnings: warnings) })
        let other = try DatabasePool(
            .sqlite(path: path), logger: Logger(label: "couloir.tests") { _ in SwiftLogNoOpLogHandler() })
        do {
            try await pool.withConnection { try await $0.raw("CREATE TABLE probe (n INTEGER)").run() }
            let (held, holding) = AsyncStream.makeStream(of: Void.self)
            let (beginning, begins) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                try await other.transaction { database in
                    try await database.raw("INSERT INTO probe VALUES (1)").run()
                    holding.yield()
                    for await _ in beginning { break }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            for await _ in held { break }
            begins.yield()
            try await pool.transaction { try await $0.raw("INSERT INTO probe VALUES (2)").run() }
            try await holder.value
        } catch {
            try? await pool.shutdown()
            try? await other.shutdown()
            throw error
        }
        try await pool.shutdown()
        try await other.shutdown()

        let logged = try #require(warnings.all.first { $0.message == "storage.slow_transaction" })
        let begin = try #require(logged.metadata["begin_ms"].flatMap(Double.init))
        #expect(begin >= 100)
        #expect(logged.metadata["statements_ms"].flatMap(Double.init) != nil)
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
