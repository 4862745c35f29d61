public import CouloirAudit
public import Foundation

/// An entry as the database holds it, with the root recorded beside it.
public struct StoredAuditEntry: Hashable, Sendable {
    public var index: Int64
    public var text: String
    public var root: Data

    public init(index: Int64, text: String, root: Data) {
        self.index = index
        self.text = text
        self.root = root
    }
}

/// The audit log: written by every change in its own transaction, read to verify and export.
public protocol AuditRepository: Sendable {
    /// The number of entries the log's state says were appended.
    func auditSize() async throws -> Int64
    /// Up to `limit` entries in the order they are stored, from the `offset`-th stored row.
    func auditEntries(offset: Int64, limit: Int) async throws -> [StoredAuditEntry]
    /// Up to `limit` entries from the one at `index` on, oldest first: how a reader
    /// follows the log as it grows (entries are committed in the order of their index).
    func auditEntries(from index: Int64, limit: Int) async throws -> [AuditEntry]
    /// The entries that concern one record (every kind but tallies), oldest first.
    func auditEntries(ofKind kind: String, id: String) async throws -> [AuditEntry]
    /// Every signed tree head, by size.
    func treeHeads() async throws -> [SignedTreeHead]
    /// Signs the log as it stands and stores the head; nil if the log is empty or a head
    /// at its size was signed already.
    func signTreeHead(with key: AuditSigningKey) async throws -> SignedTreeHead?
}

extension AuditRepository {
    /// Checks the whole log, a page at a time, with each head where its size falls and
    /// against the log's recorded size; throws `AuditFailure` naming the first bad entry.
    public func verifyAuditLog(trusting key: Data, pageSize: Int = 10_000) async throws -> AuditSummary {
        var verifier = try AuditVerifier(trusting: .init(rawRepresentation: key))
        let heads = try await treeHeads()
        _ = try await walkAuditLog(heads: heads, pageSize: pageSize) { stored, completed in
            try verifier.check(entry: stored.text, recordedRoot: stored.root)
            for head in completed { try verifier.check(head: head) }
        }
        return try verifier.finish(expecting: try await auditSize(), signedSizes: heads.map(\.head.size))
    }

    /// Writes the log in the format `AuditExport` describes, a line at a time, and returns
    /// the number of entries written.
    public func exportAuditLog(
        publicKey: Data, pageSize: Int = 10_000, write: (String) throws -> Void
    ) async throws -> Int64 {
        try write(try AuditExport.header(publicKey: publicKey))
        return try await walkAuditLog(heads: try await treeHeads(), pageSize: pageSize) { stored, completed in
            try write(try AuditExport.entry(index: stored.index, text: stored.text, root: stored.root))
            for head in completed { try write(try AuditExport.head(head)) }
        }
    }

    /// Reads every stored entry in order, a page at a time, each with the signed heads its
    /// place in the log completes, and returns how many it read.
    private func walkAuditLog(
        heads: [SignedTreeHead], pageSize: Int,
        _ visit: (StoredAuditEntry, [SignedTreeHead]) throws -> Void
    ) async throws -> Int64 {
        var pending = heads[...]
        var read: Int64 = 0
        while true {
            let page = try await auditEntries(offset: read, limit: pageSize)
            for stored in page {
                read += 1
                pending = pending.drop { $0.head.size < read }
                let completed = pending.prefix { $0.head.size == read }
                pending = pending.dropFirst(completed.count)
                try visit(stored, Array(completed))
            }
            guard page.count == pageSize else { return read }
        }
    }
}
