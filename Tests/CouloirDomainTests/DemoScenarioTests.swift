import CouloirDemo
import CouloirDomain
import Foundation
import Testing

@Suite("The Aleppo 2016 demo scenario")
struct DemoScenarioTests {
    let scenario = DemoScenario.aleppo2016()

    var aleppo: EvacuationOperation { scenario.operations.first { $0.name == "Aleppo, October 2016" }! }

    @Test func aleppoHasEightCorridorsSixForCiviliansTwoForFighters() {
        let corridors = scenario.corridors.filter { $0.operationID == aleppo.id }
        #expect(corridors.count == 8)
        #expect(corridors.filter { $0.allows(.civilians) }.count == 6)
        #expect(corridors.filter { $0.allows(.fighters) }.count == 2)
        #expect(corridors.allSatisfy { $0.checkpoints.count == 1 })
    }

    @Test func everyRecordIsValidInItsOwnOperation() throws {
        for operation in scenario.operations {
            try operation.validate()
            let index = OperationIndex(
                operationID: operation.id,
                parties: Set(scenario.parties.filter { $0.operationID == operation.id }.map(\.id)),
                sectors: Set(scenario.sectors.filter { $0.operationID == operation.id }.map(\.id)),
                corridors: Set(scenario.corridors.filter { $0.operationID == operation.id }.map(\.id)),
                checkpoints: Set(
                    scenario.corridors.filter { $0.operationID == operation.id }.flatMap(\.checkpoints).map(\.id)))
            for sector in scenario.sectors where sector.operationID == operation.id { try sector.validate(in: index) }
            for corridor in scenario.corridors where corridor.operationID == operation.id {
                try corridor.validate(in: index)
            }
            for pause in scenario.pauses where pause.operationID == operation.id { try pause.validate(in: index) }
            for tally in scenario.tallies where tally.operationID == operation.id { try tally.validate(in: index) }
            for incident in scenario.incidents where incident.operationID == operation.id {
                try incident.validate(in: index)
            }
            for claim in scenario.claims where claim.operationID == operation.id { try claim.validate(in: index) }
        }
    }

    @Test func thePauseIsSuspendedWithConditionsForResuming() throws {
        let pause = try #require(scenario.pauses.first)
        #expect(pause.state == .suspended)
        #expect(pause.conditions.contains { $0.contains("guarantee") })
        #expect(pause.history.map(\.to) == [.agreed, .active, .suspended, .active, .suspended])
    }

    @Test func theClaimsQuoteTheReportsWithTheirAttribution() throws {
        let share = try #require(scenario.claims.first { $0.kind == .controlShare })
        #expect(share.value == 93)
        #expect(share.source.name.contains("Konashenkov"))
        #expect(share.statement.contains("93%"))
        #expect(scenario.claims.contains { $0.kind == .corridorsOpen && $0.value == 8 })
        #expect(scenario.claims.contains { $0.statement.contains("flot continu") })
    }

    @Test func theIncidentsAreTheOnesTheReportsTell() {
        #expect(Set(scenario.incidents.map(\.kind)) == [.obstruction, .civiliansBlocked])
    }

    @Test func syntheticTalliesAreMarkedIllustrativeAndFallInsideActiveWindows() throws {
        let pause = try #require(scenario.pauses.first)
        let clock = ZonedClock(aleppo.timeZone)
        #expect(!scenario.tallies.isEmpty)
        #expect(scenario.tallies.allSatisfy { $0.source.illustrative })
        #expect(scenario.tallies.allSatisfy { pause.runningWindow(at: $0.interval.start, in: clock) != nil })
    }

    /// The reports say residents were prevented from leaving: the made-up counts are a
    /// trickle with gaps, not a steady outflow, and nothing crossed while suspended.
    @Test func theSyntheticCountsAreATrickleWithGapsAsTheReportsTell() throws {
        let pause = try #require(scenario.pauses.first)
        let clock = ZonedClock(aleppo.timeZone)
        let aleppoTallies = scenario.tallies.filter { $0.operationID == aleppo.id }
        let civilians = aleppoTallies.flatMap(\.counts).filter { $0.group == .civilians }.map(\.people)
        let activeHours = pause.occurrences(in: clock).reduce(0.0) { hours, span in
            // Hours the pause was active in, where a count could have been made.
            var hour = span.start
            var active = 0.0
            while hour < span.end {
                if pause.state(at: hour) == .active { active += 1 }
                hour = hour.addingTimeInterval(3600)
            }
            return hours + active
        }
        let checkpoints = scenario.corridors.filter { $0.operationID == aleppo.id }.flatMap(\.checkpoints).count
        #expect(Double(aleppoTallies.count) < 0.9 * activeHours * Double(checkpoints), "some hours have no count")
        let perHour = Double(civilians.reduce(0, +)) / Double(max(civilians.count, 1))
        #expect(perHour < 3, "a trickle: \(perHour) civilians a tally")
        #expect(civilians.filter { $0 == 0 }.count * 2 > civilians.count, "most hours, nobody")
    }

    @Test func buildingTheDemoTwiceGivesTheSameRecords() {
        let again = DemoScenario.aleppo2016()
        #expect(again.tallies == scenario.tallies)
        #expect(again.corridors == scenario.corridors)
    }
}
