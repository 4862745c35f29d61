import CouloirDomain

/// The December report also tells of civilians blocked by fighting in Palmyra: a place
/// of its own, so an operation of its own.
enum Palmyra2016 {
    static func add(to scenario: inout DemoScenario, ids: inout DemoIDs) {
        let operation = EvacuationOperation(
            id: ids.next(), name: "Palmyra, December 2016", area: "Palmyra (Tadmur), Homs governorate, Syria",
            timeZoneIdentifier: "Asia/Damascus", languages: ["en", "fr", "ar"])
        let government = Party(
            id: ids.next(), operationID: operation.id, name: "Government forces and allies", kind: .belligerent)
        let islamicState = Party(
            id: ids.next(), operationID: operation.id, name: "Islamic State group", kind: .belligerent)
        let city = Sector(
            id: ids.next(), operationID: operation.id, name: "Palmyra city",
            boundary: box(west: 38.25, south: 34.54, east: 38.30, north: 34.57),
            control: [
                ControlPeriod(
                    partyID: government.id, since: instant("2016-03-27T00:00:00+03:00"),
                    source: DemoSources.illustrative("Illustrative control history")),
                ControlPeriod(
                    partyID: islamicState.id, since: instant("2016-12-11T00:00:00+02:00"),
                    source: DemoSources.illustrative("Illustrative control history")),
            ])
        scenario.operations.append(operation)
        scenario.parties += [government, islamicState]
        scenario.sectors.append(city)
        scenario.incidents.append(
            Incident(
                id: ids.next(), operationID: operation.id, kind: .civiliansBlocked,
                occurredAt: instant("2016-12-10T12:00:00+02:00"), timePrecision: .day,
                place: .sector(city.id), placePrecision: .area, severity: .high,
                summary:
                    "Civilians who had returned to Palmyra after the army retook the city are blocked by the fighting as the Islamic State group enters it again.",
                reportedBy: "Syrian Observatory for Human Rights (OSDH)", source: DemoSources.sohrDecember,
                verification: .unverified))
    }
}
