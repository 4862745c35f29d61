public import CouloirDemo
import CouloirDomain
public import CouloirStorage
public import Logging

/// Writes the demo scenario into a database once; loading it again changes nothing.
public enum DemoLoader {
    /// Who the Aleppo operation's records belong to: the coordination cell that set it up.
    public static let coordination = "OCHA Aleppo access cell"
    /// The field team whose monitor and phone count at a checkpoint.
    public static let fieldTeam = "SARC Aleppo branch"
    /// A party's delegation, whose liaison sees what is shared with that party.
    public static let delegation = "Government delegation"
    /// Another coordination cell, running the Palmyra operation: neither cell sees the
    /// other's operation.
    public static let secondCell = "OCHA Homs access cell"

    /// Returns whether anything was written.
    @discardableResult
    public static func load(
        _ scenario: DemoScenario, into system: some Repository & IdentityRepository, tallies: Bool = true,
        logger: Logger
    ) async throws -> Bool {
        var organisations: [String: Organisation] = [:]
        for name in [coordination, fieldTeam, delegation, secondCell] {
            organisations[name] = try await system.findOrAddOrganisation(named: name).organisation
        }
        var wrote = false
        for (number, operation) in scenario.operations.enumerated()
        where try await system.operation(operation.id) == nil {
            wrote = true
            // Aleppo is the first cell's, with the field team and the delegation taking
            // part; Palmyra is the second cell's alone.
            let (owner, partners) =
                number == 0 ? (coordination, [fieldTeam, delegation]) : (secondCell, [String]())
            let store = system.acting(
                as: Principal(actor: .system("demo"), organisationID: organisations[owner]!.id, role: .coordinator))
            try await store.insert(operation)
            for partner in partners { _ = try await store.addMember(organisations[partner]!.id, to: operation.id) }
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
