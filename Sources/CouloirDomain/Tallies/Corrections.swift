/// Which tallies count towards the figures.
///
/// A correction is a new tally that names the one it corrects in `supersedes`; devices
/// that were offline deliver corrections late, early, or twice. The tallies that count
/// are those no received tally supersedes, so the figures depend only on the set of
/// tallies received, never on the order they arrived in: a correction that arrives before
/// its original hides it as soon as the original arrives. A tally delivered twice counts
/// once. Should tallies supersede each other in a cycle, none of them counts.
public enum Corrections {
    /// The tallies that count, each once, ordered by id.
    public static func effective(_ tallies: some Sequence<Tally>) -> [Tally] {
        var byID: [Tally.ID: Tally] = [:]
        for tally in tallies where byID[tally.id] == nil {
            byID[tally.id] = tally
        }
        let superseded = Set(byID.values.compactMap(\.supersedes))
        return byID.values.filter { !superseded.contains($0.id) }.sorted { $0.id.description < $1.id.description }
    }

    /// Everyone counted by the tallies that count, by group.
    public static func totals(_ tallies: some Sequence<Tally>) -> [Group: Int] {
        var totals: [Group: Int] = [:]
        for tally in effective(tallies) {
            for count in tally.counts {
                totals[count.group, default: 0] += count.people
            }
        }
        return totals
    }
}
