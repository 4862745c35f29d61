public import Foundation

/// Instants written in UTC as RFC 3339 has them, `2016-10-20T05:00:00Z`, to the
/// millisecond, and read back with any offset the grammar allows: every instant of every answer is written here, without the formatted
/// output of the C library that the system's formatters go through.
public enum UTCText {
    /// Whether the milliseconds are written.
    public enum Fraction: Sendable {
        /// Always, `.000` included, as the audit log has them.
        case always
        /// Only when the instant is not on a whole second.
        case whenAny
    }

    /// `date` to the nearest millisecond.
    public static func of(_ date: Date, fraction: Fraction) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMillis) = millis.quotientAndRemainder(dividingBy: 86_400_000)
        let (day, inDay) = dayMillis < 0 ? (days - 1, dayMillis + 86_400_000) : (days, dayMillis)
        let seconds = Int(inDay / 1000)
        let milliseconds = Int(inDay % 1000)
        var text = LocalDate(daysSinceEpoch: Int(day)).description
        text +=
            "T" + LocalDate.pad(seconds / 3600, 2) + ":" + LocalDate.pad(seconds / 60 % 60, 2) + ":"
            + LocalDate.pad(seconds % 60, 2)
        if fraction == .always || milliseconds != 0 { text += "." + LocalDate.pad(milliseconds, 3) }
        return text + "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a leap second (:60) counts as the
    /// first second of the next minute.
    public static func date(_ text: String) -> Date? {
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
