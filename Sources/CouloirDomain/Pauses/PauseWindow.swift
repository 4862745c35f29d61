public import Foundation

/// When a pause holds: either one fixed span, or the same hours every day over a range
/// of dates, read on the operation's wall clock.
public enum PauseWindow: Hashable, Sendable, Codable {
    case fixed(Interval)
    case daily(DailyHours)

    /// The concrete spans of time this window covers, in order.
    public func occurrences(in clock: ZonedClock) -> [Interval] {
        switch self {
        case .fixed(let interval):
            [interval]
        case .daily(let hours):
            stride(from: 0, through: hours.lastDay.daysSinceEpoch - hours.firstDay.daysSinceEpoch, by: 1)
                .map { hours.occurrence(on: hours.firstDay.adding(days: $0), in: clock) }
        }
    }

    /// The span of this window that contains `instant`, if any.
    public func occurrence(containing instant: Date, in clock: ZonedClock) -> Interval? {
        switch self {
        case .fixed(let interval):
            return interval.contains(instant) ? interval : nil
        case .daily(let hours):
            // A span that runs past midnight began on the previous day.
            let today = clock.localDate(of: instant)
            for day in [today.adding(days: -1), today]
            where hours.firstDay <= day && day <= hours.lastDay {
                let span = hours.occurrence(on: day, in: clock)
                if span.contains(instant) { return span }
            }
            return nil
        }
    }

    func validate(at pointer: String, into validator: inout Validator) {
        switch self {
        case .fixed(let interval):
            interval.validate(at: pointer + "/fixed", into: &validator)
        case .daily(let hours):
            hours.validate(at: pointer + "/daily", into: &validator)
        }
    }
}

/// The same hours each day from `firstDay` through `lastDay`, e.g. 08:00 to 19:00 from
/// 20 to 22 October. Hours that close at or before they open run past midnight.
public struct DailyHours: Hashable, Sendable, Codable {
    public var firstDay: LocalDate
    public var lastDay: LocalDate
    public var opens: LocalTime
    public var closes: LocalTime

    public init(firstDay: LocalDate, lastDay: LocalDate, opens: LocalTime, closes: LocalTime) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.opens = opens
        self.closes = closes
    }

    public var runsPastMidnight: Bool { closes <= opens }

    /// The span that opens on `day`. Its length follows the wall clock, so a window on
    /// the night clocks go back lasts an hour longer.
    public func occurrence(on day: LocalDate, in clock: ZonedClock) -> Interval {
        let start = clock.instant(on: day, at: opens)
        let end = clock.instant(on: runsPastMidnight ? day.adding(days: 1) : day, at: closes)
        return Interval(start: start, end: max(end, start))
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.check(firstDay <= lastDay, pointer + "/lastDay", "is before firstDay")
        validator.check(
            lastDay.daysSinceEpoch - firstDay.daysSinceEpoch < Limits.dailyWindowDays,
            pointer + "/lastDay", "daily hours may cover at most \(Limits.dailyWindowDays) days")
        validator.check(opens != closes, pointer + "/closes", "equals opens: the daily window is empty")
    }
}

extension PauseWindow {
    private enum CodingKeys: String, CodingKey { case kind, start, end, firstDay, lastDay, opens, closes }
    private enum Kind: String, Codable { case fixed, daily }

    /// `{"kind": "fixed", "start", "end"}` or `{"kind": "daily", "firstDay", "lastDay", "opens", "closes"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .fixed:
            self = .fixed(
                Interval(
                    start: try container.decode(Date.self, forKey: .start),
                    end: try container.decode(Date.self, forKey: .end)))
        case .daily:
            self = .daily(
                DailyHours(
                    firstDay: try container.decode(LocalDate.self, forKey: .firstDay),
                    lastDay: try container.decode(LocalDate.self, forKey: .lastDay),
                    opens: try container.decode(LocalTime.self, forKey: .opens),
                    closes: try container.decode(LocalTime.self, forKey: .closes)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .fixed(let interval):
            try container.encode(Kind.fixed, forKey: .kind)
            try container.encode(interval.start, forKey: .start)
            try container.encode(interval.end, forKey: .end)
        case .daily(let hours):
            try container.encode(Kind.daily, forKey: .kind)
            try container.encode(hours.firstDay, forKey: .firstDay)
            try container.encode(hours.lastDay, forKey: .lastDay)
            try container.encode(hours.opens, forKey: .opens)
            try container.encode(hours.closes, forKey: .closes)
        }
    }
}
