import CouloirAudit
import CouloirStorage
import Foundation
import SQLKit

/// Appends a transaction's changes to the audit log, in that transaction: each entry
/// takes the next leaf index, and the root after it is stored beside it.
enum AuditLog {
    static func append(
        _ changes: [AuditChange], at instant: Date, postgres: Bool, on database: any SQLDatabase
    ) async throws {
        guard !changes.isEmpty else { return }
        // On PostgreSQL the row lock orders the appends of concurrent transactions; it is
        // taken last in every write, so it closes no cycle with the locks taken before it.
        var frontier = try await self.frontier(locking: postgres, on: database)
        let at = AuditTime.text(instant)
        var rows: [(index: Int64, entry: String, root: String)] = []
        var indexed: [(kind: String, id: String, index: Int64)] = []
        rows.reserveCapacity(changes.count)
        for change in changes {
            var before: String?
            if change.hasHistory {
                before = try await database.select().column("digest").from("audit_latest")
                    .where("kind", .equal, change.kind).where("id", .equal, change.id).first()?
                    .decode(column: "digest", as: String.self)
            }
            let entry = AuditEntry(
                index: frontier.size, at: at, actor: change.actor.description, action: change.action, kind: change.kind,
                id: change.id, operation: change.operationID, before: before, after: change.after
            ).text
            frontier.append(leafHash: MerkleHash.leaf(Data(entry.utf8)))
            rows.append((frontier.size - 1, entry, frontier.root.hex))
            if change.keepsDigest { indexed.append((change.kind, change.id, frontier.size - 1)) }
        }
        for chunk in rows.chunks(of: 500) {
            let values = SQLValueRows(rows: chunk.map { [$0.index, $0.entry, $0.root] })
            try await database.raw("INSERT INTO audit_events (leaf_index, entry, root) \(values)").run()
        }
        for chunk in indexed.chunks(of: 300) {
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
        try await database.raw(
            "UPDATE audit_state SET size = \(bind: frontier.size), frontier = \(bind: frontier.encodedSubtrees) WHERE id = 1"
        ).run()
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
