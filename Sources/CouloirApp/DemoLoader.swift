public import CouloirDemo
import CouloirDomain
public import CouloirStorage
public import Logging

/// Writes the demo scenario into a database once; loading it again changes nothing.
public enum DemoLoader {
    /// Returns whether anything was written.
    @discardableResult
    public static func load(
        _ scenario: DemoScenario, into store: some Repository, tallies: Bool = true, logger: Logger
    ) async throws -> Bool {
        var wrote = false
        for operation in scenario.operations where try await store.operation(operation.id) == nil {
            wrote = true
            try await store.insert(operation)
            for party in scenario.parties where party.operationID == operation.id {
                try await store.insert(party)
            }
            for sector in scenario.sectors where sector.operationID == operation.id {
                try await store.insert(sector)
            }
            for corridor in scenario.corridors where corridor.operationID == operation.id {
                try await store.insert(corridor)
            }
            for pause in scenario.pauses where pause.operationID == operation.id {
                try await store.insert(pause)
            }
            for incident in scenario.incidents where incident.operationID == operation.id {
                try await store.insert(incident)
            }
            for claim in scenario.claims where claim.operationID == operation.id {
                try await store.insert(claim)
            }
            for tally in scenario.tallies where tallies && tally.operationID == operation.id {
                _ = try await store.submit(tally)
            }
            logger.info("demo.loaded", metadata: ["operation.name": "\(operation.name)"])
        }
        return wrote
    }
}
