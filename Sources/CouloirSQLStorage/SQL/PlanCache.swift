import CouloirDomain
import Foundation
import Synchronization

/// An operation's plan (the operation, its parties, sectors, corridors with their
/// checkpoints, pauses, and who made each) held in memory, since every request reads it
/// and it changes rarely: tens of records, read thousands of times between two changes.
///
/// Every change to a plan goes through one audited transaction, which tells the cache
/// once it has committed; the cache then forgets what it held of that operation. A read
/// that began before the change and ends after it is not kept: each entry is tagged with
/// the operation's generation when its read began, and counts only while that is still
/// the generation. Every repository of this process on one database shares one cache,
/// so it sees all of this process's writes at once.
///
/// Other processes' writes (a second server on the same file or PostgreSQL database,
/// `couloir member remove` run beside a server) reach it through the audit log, which
/// every plan change is written to: a `PlanCacheFollower` reads the entries appended
/// since its last look, a few times a second, and forgets what they changed. Once a
/// follower is attached, the cache is used only while the follower has looked within
/// `followerFreshness`; without one (a command, a test with one process) it holds for
/// SQLite alone and is off on PostgreSQL, where servers are expected to share.
final class PlanCache: Sendable {
    /// The cache of each database this process opened, by its file's path or its URL.
    private static let byFile = Mutex<[String: PlanCache]>([:])

    /// The cache every repository on `location` shares; on PostgreSQL, one used only
    /// while a follower keeps it true.
    static func shared(for location: DatabaseLocation) -> PlanCache {
        let key: String
        switch location {
        case .sqlite(let path): key = URL(fileURLWithPath: path).standardizedFileURL.path
        case .postgres(let url): key = url
        }
        return byFile.withLock { caches in
            if let cache = caches[key] { return cache }
            let cache = PlanCache(enabled: true, needsFollower: location.isPostgres)
            caches[key] = cache
            return cache
        }
    }

    /// How recently a follower must have read the log for the cache to be used.
    static let followerFreshness: Duration = .seconds(1)

    enum Part: Hashable, Sendable {
        case operations, operationOwners, memberships
        case operation, owners, members, parties, sectors, corridors, checkpoints, pauses
    }

    private struct Key: Hashable {
        var part: Part
        /// `nil` for what spans every operation.
        var operationID: EvacuationOperation.ID?
    }

    private struct Entry {
        var generation: UInt64
        var value: any Sendable
    }

    private struct State {
        /// By operation; `nil` for what spans every operation.
        var generations: [EvacuationOperation.ID?: UInt64] = [:]
        var entries: [Key: Entry] = [:]
        /// When the attached follower last finished reading the log; nil while none is
        /// attached.
        var followed: ContinuousClock.Instant?
        /// Bumped for every operation at once: what was held of all of them is out of date.
        var epoch: UInt64 = 0
    }

    let isEnabled: Bool
    /// Whether the cache may be used only with a fresh follower (PostgreSQL).
    private let needsFollower: Bool
    private let state = Mutex(State())

    init(enabled: Bool, needsFollower: Bool = false) {
        isEnabled = enabled
        self.needsFollower = needsFollower
    }

    /// Whether entries may be used and kept now.
    private static func usable(_ state: State, needsFollower: Bool) -> Bool {
        guard let followed = state.followed else { return !needsFollower }
        return ContinuousClock.now - followed < followerFreshness
    }

    /// What `load` reads, from memory when it is there and current.
    func read<Value: Sendable>(
        _ part: Part, of operationID: EvacuationOperation.ID?, _ load: () async throws -> Value
    ) async throws -> Value {
        guard isEnabled else { return try await load() }
        let key = Key(part: part, operationID: operationID)
        let needsFollower = self.needsFollower
        let (cached, generation) = state.withLock { state -> (Value?, UInt64?) in
            guard Self.usable(state, needsFollower: needsFollower) else { return (nil, nil) }
            let generation = state.generations[operationID, default: 0] &+ state.epoch
            guard let entry = state.entries[key], entry.generation == generation else { return (nil, generation) }
            return (entry.value as? Value, generation)
        }
        if let cached { return cached }
        let value = try await load()
        guard let generation else { return value }
        state.withLock { state in
            if Self.usable(state, needsFollower: needsFollower),
                state.generations[operationID, default: 0] &+ state.epoch == generation
            {
                state.entries[key] = Entry(generation: generation, value: value)
            }
        }
        return value
    }

    /// Forgets what is held of `operationID`, and of all operations when the operation
    /// itself changed: called once a change has committed.
    func changed(_ operationID: EvacuationOperation.ID, itself: Bool) {
        guard isEnabled else { return }
        state.withLock { state in
            state.generations[operationID, default: 0] += 1
            if itself { state.generations[nil, default: 0] += 1 }
        }
    }

    /// Forgets what a committed change to the record `kind` `id` of `operation` (nil for
    /// an operation itself) made out of date, wherever the change was made: this
    /// process's writes and the follower's reading of other processes' both come here.
    /// A membership changes who reaches every operation; other kinds of record (users,
    /// tokens) hold no part of a plan.
    func changed(kind: String, id: String, operation: String?) {
        if kind == Membership.auditKind, let operation = operation.flatMap(EvacuationOperation.ID.init) {
            changed(operation, itself: true)
        } else if let recordKind = RecordKind(rawValue: kind), let operation = EvacuationOperation.ID(operation ?? id) {
            changed(operation, itself: recordKind == .operation)
        }
    }

    /// Forgets everything: the follower could not say what changed.
    func changedAll() {
        guard isEnabled else { return }
        state.withLock { state in
            state.epoch += 1
            state.entries.removeAll()
        }
    }

    /// A follower has read the log up to now.
    func followed(at instant: ContinuousClock.Instant) {
        state.withLock { state in
            // A follower that lapsed may have missed changes made meanwhile: start afresh.
            if let last = state.followed, instant - last >= Self.followerFreshness {
                state.epoch += 1
                state.entries.removeAll()
            }
            state.followed = instant
        }
    }

    /// The follower stopped: without it, the cache holds only what it held before one.
    func unfollowed() {
        state.withLock { state in
            state.followed = nil
            state.epoch += 1
            state.entries.removeAll()
        }
    }
}
