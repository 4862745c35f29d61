import CouloirAudit
import CouloirStorage
public import Logging
import SQLKit
public import ServiceLifecycle

/// Keeps the plan cache true to the writes of other processes on the same database: a
/// few times a second it reads the audit log's entries appended since its last look
/// (every plan change is one, whoever made it) and forgets what each changed. Tallies,
/// which change no plan, are left out in the query.
///
/// What another server changed therefore holds here within `interval` plus a read;
/// while the follower does not keep up (the database unreachable, say), the cache is
/// not used at all.
public struct PlanCacheFollower: Service {
    let store: SQLRepository
    let interval: Duration
    let logger: Logger

    public init(store: SQLRepository, interval: Duration = .milliseconds(100), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let cache = store.plans
        defer { cache.unfollowed() }
        await cancelWhenGracefulShutdown {
            var position: Int64?
            repeat {
                do {
                    position = try await follow(from: position, cache: cache)
                    cache.followed(at: .now)
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("storage.plan_follow_failed", metadata: ["error": "\(error)"])
                }
            } while (try? await Task.sleep(for: interval)) != nil
        }
    }

    /// Reads what was appended from `position` on and tells the cache; the position to
    /// look from next.
    private func follow(from position: Int64?, cache: PlanCache) async throws -> Int64 {
        try await store.pool.withConnection { database in
            guard let row = try await database.raw("SELECT size FROM audit_state WHERE id = 1").first() else {
                throw StorageError.corrupt("the audit log has no state")
            }
            let size = try row.decode(column: "size", as: Int64.self)
            guard let position else {
                // The first look: whatever was held before it is forgotten.
                cache.changedAll()
                return size
            }
            guard size > position else { return position }
            // The entry's text is written one way only (`AuditEntry.text`), so a tally's
            // entry holds exactly this.
            let rows = try await database.raw(
                """
                SELECT entry FROM audit_events WHERE leaf_index >= \(bind: position) AND leaf_index < \(bind: size)
                AND entry NOT LIKE '%,"kind":"tally",%'
                """
            ).all()
            for row in rows {
                let text = try row.decode(column: "entry", as: String.self)
                guard let entry = AuditEntry(text: text) else {
                    cache.changedAll()
                    continue
                }
                cache.changed(kind: entry.kind, id: entry.id, operation: entry.operation)
            }
            return size
        }
    }
}
