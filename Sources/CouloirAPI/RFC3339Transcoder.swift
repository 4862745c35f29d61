import CouloirDomain
import Foundation
import OpenAPIRuntime

/// Reads instants as RFC 3339 `date-time`s — any offset the grammar allows, fractional
/// seconds, a lower-case `t` or `z` — and writes them in UTC, to the millisecond where
/// there is a fraction.
struct RFC3339Transcoder: DateTranscoder {
    /// The text that is not an RFC 3339 date-time, so that the edge can name the field
    /// that carried it.
    struct InvalidInstant: Error, CustomStringConvertible {
        let text: String
        var outOfRange = false
        var description: String {
            outOfRange
                ? "'\(text)' lies outside the years \(RFC3339Transcoder.years.lowerBound) to \(RFC3339Transcoder.years.upperBound - 1) that Couloir records"
                : "'\(text)' is not an RFC 3339 date-time with an offset"
        }
    }

    /// The years an instant may fall in: anything else is a mistake (a year 9999 that
    /// breaks reports written back, a year 1 before the calendar's reform).
    static let years = 1900..<2200

    /// The instants of `years` in UTC: an offset cannot carry one out of them.
    private static let range =
        Date(
            timeIntervalSince1970: TimeInterval(LocalDate(year: years.lowerBound, month: 1, day: 1)!.daysSinceEpoch)
                * 86_400)..<Date(
            timeIntervalSince1970: TimeInterval(LocalDate(year: years.upperBound, month: 1, day: 1)!.daysSinceEpoch)
                * 86_400)

    /// Writes the nearest millisecond: a stored 123 ms, held as 0.12299…, is `.123`.
    func encode(_ date: Date) throws -> String {
        UTCText.of(date, fraction: .whenAny)
    }

    /// Instants are kept to the millisecond, as storage keeps them, so that a record
    /// answered from the request reads back the same.
    func decode(_ text: String) throws -> Date {
        guard let date = Self.parse(text) else { throw InvalidInstant(text: text) }
        guard Self.range.contains(date) else { throw InvalidInstant(text: text, outOfRange: true) }
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a leap second (:60) counts as the
    /// first second of the next minute.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2), let date = LocalDate(year: year, month: month, day: day),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > start, let value = Double("0." + String(decoding: bytes[start..<index], as: UTF8.self))
            else { return nil }
            fraction = value
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else {
            guard index < bytes.count else { return nil }
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard expect("+-"), let offsetHours = number(2), expect(":"), let offsetMinutes = number(2),
                offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count else { return nil }
        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}
