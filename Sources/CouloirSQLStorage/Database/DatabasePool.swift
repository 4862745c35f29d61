import AsyncKit
import CouloirStorage
public import Logging
import NIOCore
import NIOPosix
import PostgresKit
public import SQLKit
import SQLiteKit

/// Pooled connections to Couloir's database, with transactions that hold one
/// connection from `BEGIN` to `COMMIT`.
public final class DatabasePool: Sendable {
    public let location: DatabaseLocation
    private let backend: Backend
    private let logger: Logger
    private let writeGate = WriteGate()

    // The AsyncKit pools are not marked Sendable, but each hops to its event loop for
    // every request and guards its state with a lock: sharing them across tasks is safe.
    private enum Backend: @unchecked Sendable {
        /// Connections that read, and the one that writes, on its own thread.
        case sqlite(
            EventLoopGroupConnectionPool<DurableSQLiteSource>, writer: EventLoopConnectionPool<DurableSQLiteSource>)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    /// On SQLite, the audit log's frontier after this pool's last commit. Nil on
    /// PostgreSQL, where other servers append beside this one.
    let auditFrontier: AuditFrontierCache?

    /// On SQLite, the thread the writing connection's calls run on, which every write
    /// also runs on (see `WriterThread`); a task that does nothing but write (the tally
    /// queue) may prefer it throughout, and then never leaves it. Nil on PostgreSQL.
    public let writerThread: WriterThread?

    /// With `checkpointsApart`, commits on SQLite never copy the write-ahead log into the
    /// database file themselves: a `WALCheckpointer` must run beside the pool, or the log
    /// grows until the last connection closes.
    public init(_ location: DatabaseLocation, checkpointsApart: Bool = false, logger: Logger) throws {
        self.location = location
        self.logger = logger
        let group = MultiThreadedEventLoopGroup.singleton
        switch location {
        case .sqlite(let path):
            let writerThread = WriterThread()
            self.writerThread = writerThread
            auditFrontier = AuditFrontierCache()
            backend = .sqlite(
                EventLoopGroupConnectionPool(
                    source: DurableSQLiteSource(path: path, checkpointsApart: checkpointsApart),
                    maxConnectionsPerEventLoop: 2, logger: logger, on: group),
                writer: EventLoopConnectionPool(
                    source: DurableSQLiteSource(
                        path: path, checkpointsApart: checkpointsApart, writes: true, threadPool: writerThread.pool),
                    maxConnections: 1, pruneInterval: nil, logger: Self.writerLogger(logger), on: group.any()))
        case .postgres(let url):
            writerThread = nil
            auditFrontier = nil
            let configuration = try SQLPostgresConfiguration(url: url)
            backend = .postgres(
                EventLoopGroupConnectionPool(
                    source: PostgresConnectionSource(sqlConfiguration: configuration),
                    maxConnectionsPerEventLoop: 4, logger: logger, on: group))
        }
    }

    static func writerLogger(_ logger: Logger) -> Logger {
        var logger = logger
        logger[metadataKey: "pool"] = "writer"
        return logger
    }

    public var isPostgres: Bool {
        if case .postgres = backend { true } else { false }
    }

    /// Runs `body` on one connection taken from the pool.
    public func withConnection<R: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        switch backend {
        case .sqlite(let pool, _):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(connection.sql(queryLogLevel: .trace))
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    /// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two
    /// writers wait for each other instead of failing half-way.
    public func transaction<R: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        guard case .sqlite = backend else {
            do {
                return try await withConnection { try await self.inTransaction(begin: "BEGIN", on: $0, body) }
            } catch {
                throw Self.sayingDiskFull(error)
            }
        }
        let auditFrontier = self.auditFrontier
        return try await write { database in
            do {
                return try await self.inTransaction(begin: "BEGIN IMMEDIATE", on: database, body)
            } catch {
                // Rolled back, before the next writer enters: an append it made is not in the log.
                auditFrontier?.forget()
                throw error
            }
        }
    }

    /// Runs `body`, whose statements each commit on their own, where writes run: on
    /// SQLite, the connection that writes, in its turn, on its thread, so that a write
    /// outside a transaction never waits for the write lock on a thread that reads, and
    /// each statement's answer finds the writer on the thread it arrives on.
    public func write<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            guard case .sqlite(_, let writer) = backend else { return try await withConnection(body) }
            return try await writeGate.withGate {
                try await withTaskExecutorPreference(writerThread) {
                    let connection = try await writer.requestConnection(logger: logger).get()
                    defer { writer.releaseConnection(connection, logger: logger) }
                    return try await body(connection.sql(queryLogLevel: .trace))
                }
            }
        } catch {
            throw Self.sayingDiskFull(error)
        }
    }

    /// Runs `body`, and says `StorageError.full` for a write the disk had no room for
    /// (SQLite's `SQLITE_FULL`, PostgreSQL's `disk_full`): nothing of it was stored,
    /// and the server carries on.
    static func sayingDiskFull(_ error: any Error) -> any Error {
        if let error = error as? SQLiteError, error.reason == .full { return StorageError.full }
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "53100" { return StorageError.full }
        return error
    }

    /// A transaction that waited longer than this to begin (for the write lock) or to
    /// commit (for the disk to sync) is logged at `warning` with where its time went; one
    /// that waited longer than a tenth of it at `debug`. The statements' own time grows
    /// with what they write (a batch of 500 tallies takes tens of milliseconds) and is
    /// only reported.
    static let slowWait = Duration.milliseconds(50)

    private func inTransaction<R: Sendable>(
        begin: String, on database: any SQLDatabase, _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let clock = ContinuousClock()
        let start = clock.now
        try await database.raw(SQLQueryString(begin)).run()
        let begun = clock.now
        do {
            let result = try await body(database)
            let written = clock.now
            try await database.raw("COMMIT").run()
            let committed = clock.now
            let waited = (begun - start) + (committed - written)
            if waited > Self.slowWait / 10 {
                logger.log(
                    level: waited > Self.slowWait ? .warning : .debug, "storage.slow_transaction",
                    metadata: [
                        "begin_ms": "\((begun - start).milliseconds)",
                        "statements_ms": "\((written - begun).milliseconds)",
                        "commit_ms": "\((committed - written).milliseconds)",
                    ])
            }
            return result
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Copies what the write-ahead log holds into the database file, as far as readers
    /// allow, without waiting for writers or making them wait (SQLite's `PASSIVE` mode).
    /// Nothing on PostgreSQL.
    ///
    /// `betweenWrites` runs it in the writers' turn instead, where no commit can land
    /// during it: it then copies the whole log, and the next transaction starts the log
    /// again from its beginning, writing over pages the file already has. A log that
    /// only grows puts every commit's pages in new blocks of the file, which the kernel
    /// allocates and zeroes first: 37% of the writer thread's time (29% zeroing) in a
    /// profile of batches from one device, whose log reached 1.1 GB in 13 seconds.
    @discardableResult
    public func checkpoint(betweenWrites: Bool = false) async throws -> CheckpointProgress {
        guard case .sqlite = backend else { return CheckpointProgress.none }
        let copy: @Sendable (any SQLDatabase) async throws -> CheckpointProgress = { database in
            guard let row = try await database.raw("PRAGMA wal_checkpoint(PASSIVE)").first() else {
                return CheckpointProgress.none
            }
            let frames = try row.decode(column: "log", as: Int.self)
            let copied = try row.decode(column: "checkpointed", as: Int.self)
            return CheckpointProgress(frames: max(0, frames), left: max(0, frames - copied))
        }
        return betweenWrites ? try await write(copy) : try await withConnection(copy)
    }

    public func shutdown() async throws {
        switch backend {
        case .sqlite(let pool, let writer):
            try await pool.shutdownAsync()
            try await writer.close().get()
            try await writerThread?.shutdown()
        case .postgres(let pool): try await pool.shutdownAsync()
        }
    }
}

/// What a checkpoint found in the write-ahead log: the frames it held (since it last
/// started again from its beginning) and those it could not copy yet.
public struct CheckpointProgress: Sendable {
    public let frames: Int
    public let left: Int

    /// An empty log, or none (PostgreSQL).
    static let none = CheckpointProgress(frames: 0, left: 0)
}
