import CouloirAudit
import Synchronization

/// The audit log's frontier as this pool's last append left it, on SQLite, so that an
/// append need not read it back in every transaction.
///
/// One writer appends at a time (the pool's write gate), so nothing in this process
/// reads the frontier between an append and its commit; a transaction that does not
/// commit forgets it (`DatabasePool.transaction`). Another process or pool appending to
/// the same file makes it stale, and then the next append's first leaf index is one
/// already stored: `audit_events` is append-only and keyed by leaf index, so the insert
/// fails, the appender reads the frontier from the database and appends again.
final class AuditFrontierCache: Sendable {
    private let frontier = Mutex<MerkleFrontier?>(nil)

    var known: MerkleFrontier? { frontier.withLock { $0 } }

    func keep(_ value: MerkleFrontier) { frontier.withLock { $0 = value } }

    func forget() { frontier.withLock { $0 = nil } }
}
