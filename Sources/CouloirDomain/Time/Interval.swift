public import Foundation

/// A half-open span of time [start, end).
public struct Interval: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public func contains(_ instant: Date) -> Bool {
        start <= instant && instant < end
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }

    public var description: String {
        "[\(start.formatted(.iso8601)), \(end.formatted(.iso8601)))"
    }

    /// Flags an inverted or empty interval under `pointer`, and one that reaches out of
    /// the years Couloir records.
    func validate(at pointer: String, into validator: inout Validator) {
        for (name, instant) in [("start", start), ("end", end)] where !Limits.instants.contains(instant) {
            validator.fail(
                pointer + "/" + name,
                "lies outside the years \(Limits.years.lowerBound) to \(Limits.years.upperBound - 1) that Couloir records"
            )
        }
        if end < start {
            validator.fail(pointer + "/end", "is before start: the interval is inverted")
        } else if end == start {
            validator.fail(pointer + "/end", "equals start: the interval is empty")
        }
    }
}
