public import CouloirAudit
public import CouloirStorage
import Foundation
import SQLKit

extension SQLRepository: AuditRepository {
    public func auditSize() async throws -> Int64 {
        try await pool.withConnection { database in
            guard let row = try await database.raw("SELECT size FROM audit_state WHERE id = 1").first() else {
                throw StorageError.corrupt("the audit log has no state")
            }
            return try row.decode(column: "size", as: Int64.self)
        }
    }

    public func auditEntries(offset: Int64, limit: Int) async throws -> [StoredAuditEntry] {
        // The entry's bytes as stored, not its text: a text read stops at a NUL, and the
        // verifier would then vouch for less than the database holds.
        let bytes = pool.isPostgres ? "convert_to(entry, 'UTF8')" : "CAST(entry AS BLOB)"
        return try await pool.withConnection { database in
            try await database.raw(
                """
                SELECT leaf_index, \(unsafeRaw: bytes) AS entry_bytes, root FROM audit_events ORDER BY leaf_index
                LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all().map { row in
                StoredAuditEntry(
                    index: try row.decode(column: "leaf_index", as: Int64.self),
                    text: String(decoding: try row.decode(column: "entry_bytes", as: Data.self), as: UTF8.self),
                    // A root that is not hexadecimal matches none: the verifier names its entry.
                    root: Data(hex: try row.decode(column: "root", as: String.self)) ?? Data())
            }
        }
    }

    public func auditEntries(from index: Int64, limit: Int) async throws -> [AuditEntry] {
        try await pool.withConnection { database in
            try await database.raw(
                """
                SELECT leaf_index, entry FROM audit_events WHERE leaf_index >= \(bind: index)
                ORDER BY leaf_index LIMIT \(bind: limit)
                """
            ).all().map { row in
                guard let entry = AuditEntry(text: try row.decode(column: "entry", as: String.self)) else {
                    let index = try row.decode(column: "leaf_index", as: Int64.self)
                    throw StorageError.corrupt("audit entry \(index) cannot be read")
                }
                return entry
            }
        }
    }

    public func auditEntries(ofKind kind: String, id: String) async throws -> [AuditEntry] {
        try await pool.withConnection { database in
            try await database.raw(
                """
                SELECT e.entry FROM audit_records r JOIN audit_events e ON e.leaf_index = r.leaf_index
                WHERE r.kind = \(bind: kind) AND r.id = \(bind: id) ORDER BY r.leaf_index
                """
            ).all().map { row in
                let text = try row.decode(column: "entry", as: String.self)
                guard let entry = AuditEntry(text: text) else {
                    throw StorageError.corrupt("an audit entry of \(kind) \(id) cannot be read")
                }
                return entry
            }
        }
    }

    public func treeHeads() async throws -> [SignedTreeHead] {
        try await pool.withConnection { database in
            try await database.raw(
                "SELECT size, root, signed_at, public_key, signature FROM audit_tree_heads ORDER BY size"
            ).all().map(Self.treeHead(from:))
        }
    }

    public func signTreeHead(with key: AuditSigningKey) async throws -> SignedTreeHead? {
        let signedAt = AuditTime.text(now())
        return try await pool.transaction { database in
            let frontier = try await AuditLog.frontier(on: database)
            guard frontier.size > 0 else { return nil }
            let signed = try key.sign(TreeHead(size: frontier.size, root: frontier.root, signedAt: signedAt))
            let inserted = try await insertOnce(
                into: "audit_tree_heads", key: ["size"],
                values: [
                    "size": signed.head.size, "root": signed.head.root.hex, "signed_at": signed.head.signedAt,
                    "public_key": signed.publicKey.hex, "signature": signed.signature.hex,
                ], on: database)
            return inserted ? signed : nil
        }
    }

    private static func treeHead(from row: any SQLRow) throws -> SignedTreeHead {
        let hex = { (column: String) throws -> Data in
            guard let bytes = Data(hex: try row.decode(column: column, as: String.self)) else {
                throw StorageError.corrupt("a tree head's \(column) is not hexadecimal")
            }
            return bytes
        }
        return SignedTreeHead(
            head: TreeHead(
                size: try row.decode(column: "size", as: Int64.self), root: try hex("root"),
                signedAt: try row.decode(column: "signed_at", as: String.self)),
            publicKey: try hex("public_key"), signature: try hex("signature"))
    }
}
