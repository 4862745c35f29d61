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
/// the generation. Every repository of this process on one SQLite file shares one cache,
/// so it sees all of this process's writes; it is off where several servers share one
/// database (PostgreSQL) until they tell each other.
final class PlanCache: Sendable {
    /// The cache of each SQLite file this process opened, by its path.
    private static let byFile = Mutex<[String: PlanCache]>([:])

    /// The cache every repository on `location` shares; a cache that holds nothing for
    /// PostgreSQL.
    static func shared(for location: DatabaseLocation) -> PlanCache {
        guard case .sqlite(let path) = location else { return PlanCache(enabled: false) }
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return byFile.withLock { caches in
            if let cache = caches[key] { return cache }
            let cache = PlanCache(enabled: true)
            caches[key] = cache
            return cache
        }
    }

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
    }

    let isEnabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) {
        isEnabled = enabled
    }

    /// What `load` reads, from memory when it is there and current.
    func read<Value: Sendable>(
        _ part: Part, of operationID: EvacuationOperation.ID?, _ load: () async throws -> Value
    ) async throws -> Value {
        guard isEnabled else { return try await load() }
        let key = Key(part: part, operationID: operationID)
        let (cached, generation) = state.withLock { state -> (Value?, UInt64) in
            let generation = state.generations[operationID, default: 0]
            guard let entry = state.entries[key], entry.generation == generation else { return (nil, generation) }
            return (entry.value as? Value, generation)
        }
        if let cached { return cached }
        let value = try await load()
        state.withLock { state in
            if state.generations[operationID, default: 0] == generation {
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
}
