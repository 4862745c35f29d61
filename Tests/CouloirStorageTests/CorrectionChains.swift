import CouloirDemo
import CouloirDomain
import CouloirSQLStorage
import Foundation

/// Random tallies, each corrected by a chain of up to three corrections at its
/// checkpoint, over random intervals of up to a day that rarely fall on quarter-hours.
enum CorrectionChains {
    static func make(
        operation: EvacuationOperation.ID, at checkpoints: [Checkpoint], using random: inout SeededGenerator
    ) -> [Tally] {
        let origin = Date(timeIntervalSince1970: 1_477_040_400)  // 2016-10-21T09:00Z
        var tallies: [Tally] = []
        for _ in 0..<Int.random(in: 5...30, using: &random) {
            var previous: Tally.ID?
            // A correction is counted where its original was.
            let checkpoint = checkpoints.randomElement(using: &random)!.id
            for _ in 0...Int.random(in: 0...3, using: &random) {
                let start = origin.addingTimeInterval(Double(Int.random(in: 0...259_200_000, using: &random)) / 1000)
                let length = Double(Int.random(in: 1...86_400_000, using: &random)) / 1000
                let groups = Group.allCases.filter { _ in Bool.random(using: &random) }
                let tally = Tally(
                    operationID: operation, checkpointID: checkpoint,
                    interval: Interval(start: start, end: start.addingTimeInterval(length)),
                    direction: Direction.allCases.randomElement(using: &random)!,
                    counts: (groups.isEmpty ? [.civilians] : groups).map {
                        count($0, people: Int.random(in: 0...400, using: &random), using: &random)
                    },
                    vehicles: Vehicles(
                        cars: Int.random(in: 0...20, using: &random), buses: Int.random(in: 0...3, using: &random),
                        ambulances: Int.random(in: 0...2, using: &random)),
                    supersedes: previous,
                    source: Source(
                        name: "Monitor team", kind: .monitor, illustrative: Int.random(in: 0..<3, using: &random) == 0))
                tallies.append(tally)
                previous = tally.id
            }
        }
        return tallies
    }

    /// A group's count, half the time with a breakdown by sex and age and some
    /// unaccompanied children among them.
    static func count(_ group: Group, people: Int, using random: inout SeededGenerator) -> GroupCount {
        guard Bool.random(using: &random) else { return GroupCount(group: group, people: people) }
        var cuts = (0..<5).map { _ in Int.random(in: 0...people, using: &random) }.sorted()
        cuts = [0] + cuts + [people]
        let parts = zip(cuts.dropFirst(), cuts).map { $0 - $1 }
        return GroupCount(
            group: group, people: people,
            breakdown: SexAgeBreakdown(
                female: AgeBands(children: parts[0], adults: parts[1], elderly: parts[2]),
                male: AgeBands(children: parts[3], adults: parts[4], elderly: parts[5])),
            unaccompaniedChildren: Int.random(in: 0...min(3, parts[0] + parts[3]), using: &random))
    }
}
