public import CouloirAudit
public import CouloirDomain
import CouloirStorage

/// One change the audit log recorded, as a live view follows it: which record, what was
/// done to it, and for a tally the checkpoint it was counted at, which decides who may
/// see it. The entry's index in the log orders changes and names each in a stream.
public struct Change: Hashable, Sendable {
    public var index: Int64
    /// `tally`, a `RecordKind`, or what else the log records (`member`, `user`, …).
    public var kind: String
    /// `create`, `update`, `override`, `transition`, `verify`, …
    public var action: String
    public var id: String
    /// The operation the record belongs to; an operation's own id for an operation.
    public var operationID: EvacuationOperation.ID?
    /// Who made it, as the log names them.
    public var actor: String
    /// When it was committed, as the log writes it (UTC, to the millisecond).
    public var at: String
    /// For a tally, the checkpoint it was counted at.
    public var checkpointID: Checkpoint.ID?

    public init(_ entry: AuditEntry, checkpointID: Checkpoint.ID? = nil) {
        index = entry.index
        kind = entry.kind
        action = entry.action
        id = entry.id
        operationID = (entry.operation ?? (entry.kind == RecordKind.operation.rawValue ? entry.id : nil))
            .flatMap(EvacuationOperation.ID.init)
        actor = entry.actor
        at = entry.at
        self.checkpointID = checkpointID
    }

    static let tallyKind = "tally"

    /// The entries of the log from `index` on, up to `limit`, with each tally's checkpoint
    /// looked up once per operation.
    static func read(from index: Int64, limit: Int, in store: some AuditRepository & TallyRepository) async throws
        -> [Change]
    {
        let entries = try await store.auditEntries(from: index, limit: limit)
        var tallies: [EvacuationOperation.ID: [Tally.ID]] = [:]
        for entry in entries where entry.kind == tallyKind {
            if let operation = entry.operation.flatMap(EvacuationOperation.ID.init), let id = Tally.ID(entry.id) {
                tallies[operation, default: []].append(id)
            }
        }
        var checkpoints: [Tally.ID: Checkpoint.ID] = [:]
        for (operation, ids) in tallies {
            checkpoints.merge(try await store.checkpoints(ofTallies: ids, in: operation)) { first, _ in first }
        }
        return entries.map { entry in
            Change(entry, checkpointID: entry.kind == tallyKind ? Tally.ID(entry.id).flatMap { checkpoints[$0] } : nil)
        }
    }
}
