public import Foundation

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
    /// The years an instant may fall in, in UTC: anything else is a mistake (a year 9999
    /// that breaks reports written back, a year 1 before the calendar's reform). Every
    /// face reads instants its own way; the core refuses those outside, whichever read them.
    public static let years = 1900..<2200
    /// The instants of `years`.
    public static let instants: Range<Date> =
        Date(
            timeIntervalSince1970: TimeInterval(LocalDate(year: years.lowerBound, month: 1, day: 1)!.daysSinceEpoch)
                * 86_400)..<Date(
            timeIntervalSince1970: TimeInterval(LocalDate(year: years.upperBound, month: 1, day: 1)!.daysSinceEpoch)
                * 86_400)
    /// The largest figure a claim may state (people, corridors, percent).
    public static let claimedFigure = 1_000_000_000.0
}
