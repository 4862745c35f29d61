public import Foundation

/// A coordinator's decision that a corridor is closed or blocked whatever the pauses
/// say, from an instant until another (or for good), with a reason.
public struct StatusOverride: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable, CaseIterable {
        case closed
        case blocked
    }

    public var state: State
    public var from: Date
    public var until: Date?
    public var reason: String
    public var source: Source

    public init(state: State, from: Date, until: Date? = nil, reason: String, source: Source) {
        self.state = state
        self.from = from
        self.until = until
        self.reason = reason
        self.source = source
    }

    public func applies(at instant: Date) -> Bool {
        from <= instant && (until.map { instant < $0 } ?? true)
    }

    public func validate(at pointer: String, into validator: inout Validator) {
        if let until {
            validator.check(until > from, pointer + "/until", "must be after from")
        }
        validator.requireText(reason, at: pointer + "/reason", maxLength: Limits.textLength)
        source.validate(at: pointer + "/source", into: &validator)
    }
}
