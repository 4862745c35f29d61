public import Foundation

/// Turns wall-clock times in a time zone into instants and back, with explicit rules
/// for the hours a daylight-saving change skips or repeats.
public struct ZonedClock: Sendable {
    public let timeZone: TimeZone

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The instant at which the wall clock shows `time` on `date`.
    ///
    /// - A time repeated when clocks go back resolves to its first occurrence.
    /// - A time skipped when clocks go forward resolves to the instant that is as far
    ///   past the change as the time was past it on the old clock (02:30 in a gap from
    ///   02:00 to 03:00 gives 03:30), as `java.time` does.
    public func instant(on date: LocalDate, at time: LocalTime) -> Date {
        let wall = TimeInterval(date.daysSinceEpoch * 86_400 + time.secondsSinceMidnight)
        // The offsets in force around that wall time; a zone changes offset at most
        // once in a day in practice, so the offsets half a day on either side cover it.
        let before = offset(at: wall - 43_200)
        let after = offset(at: wall + 43_200)
        let candidates = [before, after]
            .map { wall - TimeInterval($0) }
            .filter { offset(at: $0) == Int(wall - $0) }
        if let earliest = candidates.min() {
            return Date(timeIntervalSince1970: earliest)
        }
        return Date(timeIntervalSince1970: wall - TimeInterval(before))
    }

    /// The wall-clock date on which `instant` falls.
    public func localDate(of instant: Date) -> LocalDate {
        let wall = instant.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: instant))
        return LocalDate(daysSinceEpoch: Int((wall / 86_400).rounded(.down)))
    }

    private func offset(at secondsSinceEpoch: TimeInterval) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: secondsSinceEpoch))
    }
}
