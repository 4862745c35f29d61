public import CouloirDomain

/// Where a principal counts in one operation: what a field face offers a monitor.
public struct CountingPlaces: Sendable {
    public var operation: EvacuationOperation
    /// The corridors holding a checkpoint the principal may count at, each with only
    /// those checkpoints, in the plan's order.
    public var corridors: [Corridor]

    /// Every checkpoint offered, in order.
    public var checkpoints: [Checkpoint] { corridors.flatMap(\.checkpoints) }
}

extension Core {
    /// The operations and checkpoints where the principal may submit tallies, as
    /// `submit(_:as:)` decides: a monitor's assigned checkpoints, every checkpoint for a
    /// role that counts everywhere. Operations with none are left out.
    public func countingPlaces(as principal: Principal) async throws -> [CountingPlaces] {
        guard principal.reach(for: .submitTally) > .nothing else { return [] }
        var places: [CountingPlaces] = []
        for operation in try await operations(as: principal) {
            let access = try await access(to: operation.id, as: principal)
            let countable = access.checkpoints(where: .submitTally)
            let corridors = try await base.corridors(in: operation.id).compactMap { corridor -> Corridor? in
                var corridor = corridor
                corridor.checkpoints = corridor.checkpoints.filter { countable?.contains($0.id) ?? true }
                return corridor.checkpoints.isEmpty ? nil : corridor
            }
            if !corridors.isEmpty { places.append(CountingPlaces(operation: operation, corridors: corridors)) }
        }
        return places
    }
}
