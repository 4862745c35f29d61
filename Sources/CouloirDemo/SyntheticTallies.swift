import CouloirDomain
import Foundation

/// Made-up counts that tell what the reports say of the October pause: residents were
/// prevented from leaving, so the corridors saw a trickle (a few people an hour, most
/// hours none) and some hours no count reached the cell at all; nothing crossed while
/// the pause was suspended. Every tally is marked illustrative in its source.
enum SyntheticTallies {
    static func make(
        ids: inout DemoIDs, operation: EvacuationOperation, pause: Pause, corridors: [Corridor]
    ) -> [Tally] {
        let clock = ZonedClock(operation.timeZone)
        var tallies: [Tally] = []
        for span in pause.occurrences(in: clock) {
            var hour = span.start
            while hour < span.end {
                let end = min(hour.addingTimeInterval(3600), span.end)
                // Only while the pause was active: nobody crossed during its suspension.
                if pause.state(at: hour) == .active {
                    for corridor in corridors {
                        for checkpoint in corridor.checkpoints {
                            // About one hour in four, the team's count never came in.
                            guard ids.number(in: 0...3) > 0 else { continue }
                            tallies.append(
                                tally(
                                    ids: &ids, operation: operation, corridor: corridor, checkpoint: checkpoint,
                                    interval: Interval(start: hour, end: end)))
                        }
                    }
                }
                hour = end
            }
        }
        return tallies
    }

    private static func tally(
        ids: inout DemoIDs, operation: EvacuationOperation, corridor: Corridor, checkpoint: Checkpoint,
        interval: Interval
    ) -> Tally {
        var counts: [GroupCount] = []
        if corridor.allows(.civilians) {
            // A trickle: most hours nobody, now and then a family.
            let family = ids.number(in: 0...4) == 0
            let children = family ? ids.number(in: 1...3) : 0
            let adults = family ? ids.number(in: 1...2) : ids.number(in: 0...1) * ids.number(in: 0...1)
            let elderly = family ? ids.number(in: 0...1) : 0
            let female = AgeBands(children: children / 2, adults: adults / 2, elderly: elderly / 2)
            let male = AgeBands(
                children: children - children / 2, adults: adults - adults / 2, elderly: elderly - elderly / 2)
            let breakdown = SexAgeBreakdown(female: female, male: male)
            counts.append(
                GroupCount(
                    group: .civilians, people: breakdown.total, breakdown: breakdown,
                    unaccompaniedChildren: children > 0 ? ids.number(in: 0...4) / 4 : 0))
        }
        if corridor.allows(.sickAndWounded) {
            counts.append(GroupCount(group: .sickAndWounded, people: ids.number(in: 0...5) / 5))
        }
        if corridor.allows(.fighters) {
            counts.append(GroupCount(group: .fighters, people: ids.number(in: 0...7) / 7))
        }
        let ambulances = corridor.allows(.sickAndWounded) ? ids.number(in: 0...9) / 9 : 0
        return Tally(
            id: ids.next(), operationID: operation.id, checkpointID: checkpoint.id, interval: interval,
            direction: .outbound, counts: counts,
            vehicles: Vehicles(cars: ids.number(in: 0...9) / 9, buses: 0, ambulances: ambulances),
            source: Source(
                name: checkpoint.monitorTeams.first ?? "Monitoring team", kind: .monitor,
                reference: "Synthetic counts made up for the demo", illustrative: true))
    }
}
