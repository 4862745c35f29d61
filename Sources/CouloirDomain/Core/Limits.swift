/// Bounds on what one record may hold, so that a hostile or broken client cannot make
/// a record unreasonably large. The API document states the same figures.
public enum Limits {
    public static let nameLength = 200
    public static let textLength = 4_000
    /// The most tallies one batch may hold.
    public static let talliesPerBatch = 500
    /// The most people one tally may count in one group.
    public static let peoplePerTally = 1_000_000
    public static let vehiclesPerTally = 100_000
    /// The longest interval one tally may cover, in seconds: a day.
    public static let tallySpan: Double = 86_400
    /// The most positions a GeoJSON geometry may have.
    public static let positions = 10_000
    /// The longest span of days a daily pause window may cover.
    public static let dailyWindowDays = 366
    public static let windowsPerPause = 100
    /// The largest figure a claim may state (people, corridors, percent).
    public static let claimedFigure = 1_000_000_000.0
}
