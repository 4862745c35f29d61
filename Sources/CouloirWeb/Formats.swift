public import Foundation

/// How a page writes numbers, instants and times: in its language's locale, and in the
/// operation's time zone with the offset shown, so that "11:00" is never ambiguous.
public struct Formats: Sendable {
    public let language: Language
    public let timeZone: TimeZone

    public init(language: Language, timeZone: TimeZone) {
        self.language = language
        self.timeZone = timeZone
    }

    public func number(_ value: Int) -> String {
        value.formatted(.number.locale(language.locale))
    }

    /// Day, month, year, time and the offset from UTC: "20 Oct 2016, 11:00 GMT+3".
    public func instant(_ date: Date) -> String {
        date.formatted(
            Date.FormatStyle(locale: language.locale, timeZone: timeZone)
                .day().month(.abbreviated).year().hour().minute().timeZone(.localizedGMT(.short)))
    }

    /// The time of day alone, with the offset: "11:00 GMT+3".
    public func time(_ date: Date) -> String {
        date.formatted(
            Date.FormatStyle(locale: language.locale, timeZone: timeZone).hour().minute()
                .timeZone(.localizedGMT(.short)))
    }

    /// The value an `<input type="datetime-local">` shows for `date` in the operation's
    /// zone: `2016-10-20T11:00`.
    public func localInput(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))T\(two(parts.hour)):\(two(parts.minute))"
    }

    /// The instant an `<input type="datetime-local">` value names in the operation's
    /// zone, `nil` when it is not of the form `YYYY-MM-DDThh:mm[:ss]`.
    public func parseLocalInput(_ text: String) -> Date? {
        let fields = text.split(separator: "T", omittingEmptySubsequences: false)
        guard fields.count == 2 else { return nil }
        let day = fields[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let clock = fields[1].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard day.count == 3, (2...3).contains(clock.count), day.allSatisfy({ $0 != nil }),
            clock.allSatisfy({ $0 != nil }), fields[0].utf8.count == 10
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: day[0], month: day[1], day: day[2], hour: clock[0], minute: clock[1],
            second: clock.count == 3 ? clock[2] : 0)
        guard (1900...2199).contains(day[0]!), (1...12).contains(day[1]!), (1...31).contains(day[2]!),
            (0...23).contains(clock[0]!), (0...59).contains(clock[1]!),
            let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day[2]
        else { return nil }
        return date
    }
}

extension Formats {
    /// Day and month alone, for a chart's axis: "20 Oct".
    public func day(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(locale: language.locale, timeZone: timeZone).day().month(.abbreviated))
    }

    /// The hour alone, for a chart's axis: "14:00".
    public func hour(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(locale: language.locale, timeZone: timeZone).hour().minute())
    }
}
