import CouloirAudit
import CouloirStorage
import Foundation
import SQLKit
import SQLiteKit

/// Appends a transaction's changes to the audit log, in that transaction: each entry
/// takes the next leaf index, and the root after it is stored beside it.
enum AuditLog {
    /// `pool` says which database this is: on PostgreSQL the frontier is read under a row
    /// lock; on SQLite the pool's single writer keeps it from its last append.
    ///
    /// A `forecast` of these changes' entries, made beside the transaction's statements,
    /// is used if the log still stands where it was made.
    static func append(
        _ changes: [AuditChange], at instant: Date, in pool: DatabasePool, on database: any SQLDatabase,
        forecast: Forecast? = nil
    ) async throws {
        guard !changes.isEmpty else { return }
        let cache = pool.auditFrontier
        let known = cache?.known
        let start: MerkleFrontier
        if let known {
            start = known
        } else {
            // On PostgreSQL the row lock orders the appends of concurrent transactions; it
            // is taken last in every write, so it closes no cycle with the locks taken
            // before it, and the digests below are read after it.
            start = try await frontier(locking: cache == nil, on: database)
        }
        // What each change replaces.
        var before: [String?] = []
        for change in changes {
            before.append(
                change.hasHistory
                    ? try await database.select().column("digest").from("audit_latest")
                        .where("kind", .equal, change.kind).where("id", .equal, change.id).first()?
                        .decode(column: "digest", as: String.self) : nil)
        }
        var entries =
            if let forecast, forecast.start == start, forecast.instant == instant, forecast.changes == changes,
                before.allSatisfy({ $0 == nil })
            {
                forecast.entries
            } else {
                Entries(changes, before: before, at: instant, after: start)
            }
        do {
            try await insert(entries.rows, on: database)
        } catch  where known != nil && Self.isStoredAlready(error) {
            // Another pool or process appended since: read where the log stands.
            entries = Entries(changes, before: before, at: instant, after: try await self.frontier(on: database))
            try await insert(entries.rows, on: database)
        }
        for chunk in entries.indexed.chunks(of: 300) {
            var insert = database.insert(into: "audit_records").columns("kind", "id", "leaf_index")
            for row in chunk { insert = insert.values(SQLBind(row.kind), SQLBind(row.id), SQLBind(row.index)) }
            try await insert.run()
        }
        for change in changes where change.keepsDigest {
            try await database.insert(into: "audit_latest").columns("kind", "id", "digest")
                .values(SQLBind(change.kind), SQLBind(change.id), SQLBind(change.after))
                .onConflict(with: ["kind", "id"]) { $0.set(excludedValueOf: "digest") }
                .run()
        }
        let after = entries.frontier
        try await database.raw(
            "UPDATE audit_state SET size = \(bind: after.size), frontier = \(bind: after.encodedSubtrees) WHERE id = 1"
        ).run()
        cache?.keep(after)
    }

    /// Entries made ahead of their append, off the writer's thread: hashing a root for
    /// every entry is a few milliseconds for a batch of tallies.
    struct Forecast: Sendable {
        let start: MerkleFrontier
        let instant: Date
        let changes: [AuditChange]
        fileprivate let entries: Entries

        /// The entries of `changes`, records created at `instant`, if the log stands at
        /// `start` when they are appended.
        init(_ changes: [AuditChange], at instant: Date, after start: MerkleFrontier) {
            self.start = start
            self.instant = instant
            self.changes = changes
            entries = Entries(changes, before: changes.map { _ in nil }, at: instant, after: start)
        }
    }

    /// The entries of `changes` appended after `frontier`, each with the root after it.
    fileprivate struct Entries: Sendable {
        var rows: [(index: Int64, entry: String, root: String)] = []
        var indexed: [(kind: String, id: String, index: Int64)] = []
        var frontier: MerkleFrontier

        init(_ changes: [AuditChange], before: [String?], at instant: Date, after start: MerkleFrontier) {
            frontier = start
            let at = AuditTime.text(instant)
            rows.reserveCapacity(changes.count)
            for (change, before) in zip(changes, before) {
                let entry = AuditEntry(
                    index: frontier.size, at: at, actor: change.actor.description, action: change.action,
                    kind: change.kind, id: change.id, operation: change.operationID, before: before,
                    after: change.after
                ).text
                frontier.append(leafHash: MerkleHash.leaf(Data(entry.utf8)))
                rows.append((frontier.size - 1, entry, frontier.root.hex))
                if change.keepsDigest { indexed.append((change.kind, change.id, frontier.size - 1)) }
            }
        }
    }

    private static func insert(
        _ rows: [(index: Int64, entry: String, root: String)], on database: any SQLDatabase
    ) async throws {
        for chunk in rows.chunks(of: 500) {
            let values = SQLValueRows(rows: chunk.map { [$0.index, $0.entry, $0.root] })
            try await database.raw("INSERT INTO audit_events (leaf_index, entry, root) \(values)").run()
        }
    }

    /// Whether `error` is SQLite refusing a leaf index already stored.
    private static func isStoredAlready(_ error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        return [.constraint, .constraintPrimaryKeyFailed, .constraintUniqueFailed].contains(error.reason)
    }

    /// The log's Merkle frontier as its last append left it.
    static func frontier(locking: Bool = false, on database: any SQLDatabase) async throws -> MerkleFrontier {
        let lock = locking ? " FOR UPDATE" : ""
        guard
            let state = try await database.raw("SELECT size, frontier FROM audit_state WHERE id = 1\(unsafeRaw: lock)")
                .first(),
            let frontier = MerkleFrontier(
                size: try state.decode(column: "size", as: Int64.self),
                encodedSubtrees: try state.decode(column: "frontier", as: String.self))
        else { throw StorageError.corrupt("the audit log's state cannot be read") }
        return frontier
    }
}
