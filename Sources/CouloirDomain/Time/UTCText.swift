public import Foundation

/// Instants written in UTC as RFC 3339 has them, `2016-10-20T05:00:00Z`, to the
/// millisecond: every instant of every answer is written here, without the formatted
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
}
