import CouloirAudit
import CouloirDomain
import CouloirStorage

/// A change a write makes to one record, for the audit log.
struct AuditChange: Hashable, Sendable {
    /// `create`, `update`, `override`, `transition`, `verify`.
    var action: String
    var kind: String
    var id: String
    var operationID: String?
    /// The digest of the record after the change.
    var after: String
    var actor: Actor

    /// Whether the record existed before: a created record has no `before`, and a tally
    /// is never changed, so neither needs its digest kept for a next change.
    var hasHistory: Bool { action != "create" }
    var keepsDigest: Bool { kind != "tally" }

    init<Record: Identifiable & Encodable>(
        _ action: String, _ kind: String, _ record: Record, operation: EvacuationOperation.ID?, actor: Actor
    ) throws where Record.ID: CustomStringConvertible {
        self.action = action
        self.kind = kind
        id = record.id.description
        operationID = operation?.description
        after = try RecordDigest.of(record)
        self.actor = actor
    }
}
