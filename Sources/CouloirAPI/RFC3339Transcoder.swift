import Foundation
import OpenAPIRuntime

/// Reads and writes instants as RFC 3339 date-times with an offset, with or without
/// fractional seconds; writes UTC to the millisecond where there is a fraction.
struct RFC3339Transcoder: DateTranscoder {
    /// The text that is not an RFC 3339 date-time, so that the edge can name the field
    /// that carried it.
    struct InvalidInstant: Error, CustomStringConvertible {
        let text: String
        var description: String { "'\(text)' is not an RFC 3339 date-time with an offset" }
    }

    private static let whole = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func encode(_ date: Date) throws -> String {
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        return (whole ? Self.whole : Self.fractional).format(date)
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? Self.whole.parse(text) {
            return date
        }
        if let date = try? Self.fractional.parse(text) {
            return date
        }
        throw InvalidInstant(text: text)
    }
}
