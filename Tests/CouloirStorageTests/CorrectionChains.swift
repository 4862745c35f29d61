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
                        GroupCount(group: $0, people: Int.random(in: 0...400, using: &random))
                    },
                    supersedes: previous,
                    source: Source(
                        name: "Monitor team", kind: .monitor, illustrative: Int.random(in: 0..<3, using: &random) == 0))
                tallies.append(tally)
                previous = tally.id
            }
        }
        return tallies
    }
}
