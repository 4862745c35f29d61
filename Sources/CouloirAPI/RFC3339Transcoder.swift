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

    /// The years an instant may fall in (the core's, `Limits.years`).
    static let years = Limits.years

    /// The instants of `years` in UTC: an offset cannot carry one out of them.
    private static let range = Limits.instants

    /// Writes the nearest millisecond: a stored 123 ms, held as 0.12299…, is `.123`.
    func encode(_ date: Date) throws -> String {
        Self.text(of: date)
    }

    /// The text `encode` writes, for writers that do without the runtime.
    static func text(of date: Date) -> String {
        UTCText.of(date, fraction: .whenAny)
    }

    /// Instants are kept to the millisecond, as storage keeps them, so that a record
    /// answered from the request reads back the same.
    func decode(_ text: String) throws -> Date {
        guard let date = UTCText.date(text) else { throw InvalidInstant(text: text) }
        guard Self.range.contains(date) else { throw InvalidInstant(text: text, outOfRange: true) }
        return Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
