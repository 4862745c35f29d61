import CouloirDomain
import Foundation

/// The operation "Aleppo, October 2016": parties, sectors, eight corridors, the pause of
/// 20–22 October, what was said about it, and illustrative counts.
struct AleppoOctober2016 {
    let operation: EvacuationOperation
    let government: Party
    let opposition: Party
    let unitedNations: Party
    let redCrescent: Party
    let west: Sector
    let eastNorth: Sector
    let eastCentre: Sector
    let eastSouth: Sector

    init(ids: inout DemoIDs) {
        operation = EvacuationOperation(
            id: ids.next(), name: "Aleppo, October 2016", area: "Aleppo city, Syria",
            timeZoneIdentifier: "Asia/Damascus", languages: ["en", "fr", "ar"])
        let operationID = operation.id
        government = Party(
            id: ids.next(), operationID: operationID, name: "Government forces and allies", kind: .belligerent)
        opposition = Party(
            id: ids.next(), operationID: operationID, name: "Armed opposition groups", kind: .belligerent)
        unitedNations = Party(id: ids.next(), operationID: operationID, name: "United Nations", kind: .unAgency)
        redCrescent = Party(
            id: ids.next(), operationID: operationID, name: "Syrian Arab Red Crescent / ICRC",
            kind: .redCrossRedCrescent)

        let outline = DemoSources.illustrative("Illustrative sector outline")
        let since2012 = instant("2012-07-20T00:00:00+03:00")
        func estimate(_ value: Int, _ low: Int, _ high: Int) -> PopulationEstimate {
            PopulationEstimate(
                value: value, low: low, high: high, asOf: day("2016-10-01"),
                source: DemoSources.illustrative("Illustrative split of the UN estimate for east Aleppo"))
        }
        west = Sector(
            id: ids.next(), operationID: operationID, name: "West Aleppo",
            boundary: box(west: 37.08, south: 36.16, east: 37.155, north: 36.25),
            population: estimate(1_200_000, 1_000_000, 1_500_000),
            control: [ControlPeriod(partyID: government.id, since: since2012, source: outline)])
        eastNorth = Sector(
            id: ids.next(), operationID: operationID, name: "East Aleppo, north (Hanano, Sakhour)",
            boundary: box(west: 37.155, south: 36.215, east: 37.22, north: 36.25),
            population: estimate(100_000, 85_000, 115_000),
            control: [
                ControlPeriod(partyID: opposition.id, since: since2012, source: outline),
                ControlPeriod(partyID: government.id, since: instant("2016-11-28T00:00:00+02:00"), source: outline),
            ])
        eastCentre = Sector(
            id: ids.next(), operationID: operationID, name: "East Aleppo, centre (Old City)",
            boundary: box(west: 37.155, south: 36.19, east: 37.22, north: 36.215),
            population: estimate(75_000, 60_000, 90_000),
            control: [
                ControlPeriod(partyID: opposition.id, since: since2012, source: outline),
                ControlPeriod(partyID: government.id, since: instant("2016-12-07T00:00:00+02:00"), source: outline),
            ])
        eastSouth = Sector(
            id: ids.next(), operationID: operationID, name: "East Aleppo, south (Sheikh Saeed, Sukkari)",
            boundary: box(west: 37.155, south: 36.16, east: 37.22, north: 36.19),
            population: estimate(100_000, 85_000, 120_000),
            control: [ControlPeriod(partyID: opposition.id, since: since2012, source: outline)])
    }

    func add(to scenario: inout DemoScenario, ids: inout DemoIDs) {
        scenario.operations.append(operation)
        scenario.parties += [government, opposition, unitedNations, redCrescent]
        scenario.sectors += [west, eastNorth, eastCentre, eastSouth]
        let corridors = makeCorridors(ids: &ids)
        scenario.corridors += corridors
        let pause = makePause(ids: &ids, corridors: corridors)
        scenario.pauses.append(pause)
        scenario.claims += makeClaims(ids: &ids)
        scenario.incidents += makeIncidents(ids: &ids)
        scenario.tallies += SyntheticTallies.make(
            ids: &ids, operation: operation, pause: pause, corridors: corridors)
    }
}
