import CouloirStorage

extension Migration {
    /// Finding the correction of a tally reads tallies by what they supersede.
    static let tallyCorrections = Migration(version: 3, name: "tally corrections index") { _ in
        ["CREATE INDEX tallies_by_supersedes ON tallies (operation_id, supersedes)"]
    }
}
