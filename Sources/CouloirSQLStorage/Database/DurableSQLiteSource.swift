import AsyncKit
import CouloirStorage
import Logging
import NIOCore
import NIOPosix
import SQLiteKit

/// Opens SQLite connections set up for durability: write-ahead logging, and a sync to
/// disk at every commit, so that a commit that has returned survives a power cut or a
/// `kill -9`.
///
/// With `checkpointsApart`, no commit copies the log into the database file (SQLite's
/// automatic checkpoint, which makes the commit that crosses a thousand pages wait for
/// it); a `WALCheckpointer` does it beside the writers instead.
struct DurableSQLiteSource: ConnectionPoolSource {
    let source: SQLiteConnectionSource
    let checkpointsApart: Bool

    init(path: String, checkpointsApart: Bool, threadPool: NIOThreadPool = .singleton) {
        source = SQLiteConnectionSource(
            configuration: SQLiteConfiguration(storage: .file(path: path), enableForeignKeys: true),
            threadPool: threadPool)
        self.checkpointsApart = checkpointsApart
    }

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        source.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            let pragmas =
                [
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = FULL",
                    "PRAGMA busy_timeout = 10000",
                ] + (checkpointsApart ? ["PRAGMA wal_autocheckpoint = 0"] : [])
            return pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { chain, pragma in
                chain.flatMap { connection.query(pragma).map { _ in } }
            }
            .map { connection }
            .flatMapError { error in connection.close().flatMapThrowing { throw error } }
        }
    }
}
