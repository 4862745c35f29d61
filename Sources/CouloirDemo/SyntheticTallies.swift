import CouloirDomain
import Foundation

/// Made-up counts, one tally an hour at each checkpoint while the pause held, so that
/// the demo has flows to show. Every one is marked illustrative in its source.
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
            let children = ids.number(in: 4...30)
            let adults = ids.number(in: 4...30)
            let elderly = ids.number(in: 0...6)
            let female = AgeBands(children: children / 2, adults: adults / 2 + 1, elderly: elderly / 2)
            let male = AgeBands(
                children: children - children / 2, adults: adults - adults / 2, elderly: elderly - elderly / 2)
            let breakdown = SexAgeBreakdown(female: female, male: male)
            counts.append(
                GroupCount(
                    group: .civilians, people: breakdown.total, breakdown: breakdown,
                    unaccompaniedChildren: ids.number(in: 0...1)))
        }
        if corridor.allows(.sickAndWounded) {
            counts.append(GroupCount(group: .sickAndWounded, people: ids.number(in: 0...4)))
        }
        if corridor.allows(.fighters) {
            counts.append(GroupCount(group: .fighters, people: ids.number(in: 0...2)))
        }
        let ambulances = corridor.allows(.sickAndWounded) ? ids.number(in: 0...2) : 0
        return Tally(
            id: ids.next(), operationID: operation.id, checkpointID: checkpoint.id, interval: interval,
            direction: .outbound, counts: counts,
            vehicles: Vehicles(cars: ids.number(in: 0...3), buses: 0, ambulances: ambulances),
            source: Source(
                name: checkpoint.monitorTeams.first ?? "Monitoring team", kind: .monitor,
                reference: "Synthetic counts made up for the demo", illustrative: true))
    }
}
