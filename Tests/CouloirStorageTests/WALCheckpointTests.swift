import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging
import SQLKit
import Testing

/// A server's pool leaves copying the write-ahead log to its checkpointer: no commit
/// waits for a checkpoint, and nothing committed depends on one having run.
@Suite("Checkpoints apart from commits")
struct WALCheckpointTests {
    @Test func commitsLeaveTheLogToTheCheckpointer() async throws {
        try await withPool(checkpointsApart: true) { pool in
            try await write(rows: 2_000, on: pool)
            // 2,000 commits are far past SQLite's 1,000 pages: none copied the log.
            #expect(try await framesInLog(on: pool) > 2_000)
        }
    }

    @Test func aCheckpointCopiesTheWholeLog() async throws {
        try await withPool(checkpointsApart: true) { pool in
            try await write(rows: 500, on: pool)
            #expect(try await pool.checkpoint().left == 0)
            // All of it copied, the next commit starts the log again from its beginning;
            // had the checkpoint copied nothing, it would follow 500 commits' frames.
            try await write(rows: 1, on: pool)
            #expect(try await framesInLog(on: pool) < 10)
        }
    }

    @Test func otherPoolsCheckpointAsTheyCommit() async throws {
        try await withPool(checkpointsApart: false) { pool in
            try await write(rows: 2_000, on: pool)
            #expect(try await framesInLog(on: pool) < 1_100)
        }
    }

    @Test func theServiceCheckpointsWhileItRuns() async throws {
        try await withPool(checkpointsApart: true) { pool in
            try await write(rows: 500, on: pool)
            let checkpointer = WALCheckpointer(pool: pool, interval: .milliseconds(20), logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await checkpointer.run() }
                defer { group.cancelAll() }
                try await Task.sleep(for: .seconds(1))
            }
            // Once the log has been copied, the next commit starts it again from its
            // beginning; without the checkpointer it would follow 500 commits' frames.
            try await write(rows: 1, on: pool)
            #expect(try await framesInLog(on: pool) < 10)
        }
    }

    /// Writers one after another, as steady as tallies arriving, keep a transaction under
    /// way nearly every time a checkpoint ends: the log would never start again from its
    /// beginning, and its file would grow by every commit's pages.
    @Test func theLogStartsAgainUnderWritersThatNeverPause() async throws {
        try await withPool(checkpointsApart: true) { pool in
            let checkpointer = WALCheckpointer(
                pool: pool, interval: .milliseconds(10), restartAbove: 100, logger: Self.logger)
            let commits = 3_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await checkpointer.run() }
                defer { group.cancelAll() }
                try await write(rows: commits, on: pool)
            }
            // Each commit appends at least the page its row is on.
            let written = commits * 4_096
            guard case .sqlite(let path) = pool.location else {
                Issue.record("not SQLite")
                return
            }
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
            #expect(size < written / 3, "the log's file reached \(size) bytes")
        }
    }

    static let logger: Logger = {
        var logger = Logger(label: "couloir.tests")
        logger.logLevel = .warning
        return logger
    }()

    private func withPool(
        checkpointsApart: Bool, _ body: @Sendable (DatabasePool) async throws -> Void
    ) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-wal-\(UUID()).sqlite").path
        let pool = try DatabasePool(.sqlite(path: path), checkpointsApart: checkpointsApart, logger: Self.logger)
        do {
            try await pool.withConnection { try await $0.raw("CREATE TABLE probe (n INTEGER, pad TEXT)").run() }
            try await body(pool)
        } catch {
            try? await pool.shutdown()
            throw error
        }
        try await pool.shutdown()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// One transaction a row, as single submissions commit.
    private func write(rows: Int, on pool: DatabasePool) async throws {
        let pad = String(repeating: "x", count: 200)
        for row in 0..<rows {
            try await pool.transaction {
                try await $0.raw("INSERT INTO probe VALUES (\(bind: row), \(bind: pad))").run()
            }
        }
    }

    /// The frames the log holds (since it last started again from its beginning); asking
    /// copies them into the file.
    private func framesInLog(on pool: DatabasePool) async throws -> Int {
        try await pool.withConnection { database in
            let row = try #require(try await database.raw("PRAGMA wal_checkpoint(PASSIVE)").first())
            return try row.decode(column: "log", as: Int.self)
        }
    }
}
