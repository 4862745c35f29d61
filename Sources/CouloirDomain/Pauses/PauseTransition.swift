public import Foundation

/// One step of a pause's lifecycle: when, who, why, and on whose word.
public struct PauseTransition: Hashable, Sendable, Codable {
    public var from: PauseState
    public var to: PauseState
    public var at: Date
    /// Who made the step (a party, the coordination cell), in words.
    public var actor: String
    public var reason: String
    public var source: Source

    public init(from: PauseState, to: PauseState, at: Date, actor: String, reason: String, source: Source) {
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.reason = reason
        self.source = source
    }
}
