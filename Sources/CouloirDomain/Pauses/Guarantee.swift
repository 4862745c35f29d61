public import Foundation

/// What one party said about a pause: its acknowledgement, or its refusal.
public struct Guarantee: Hashable, Sendable, Codable {
    public var partyID: Party.ID
    public var stance: Stance
    /// The party's words, or a summary of them.
    public var statement: String
    public var at: Date
    public var source: Source

    public enum Stance: String, Hashable, Sendable, Codable, CaseIterable {
        case pending
        case acknowledged
        case rejected
    }

    public init(partyID: Party.ID, stance: Stance, statement: String, at: Date, source: Source) {
        self.partyID = partyID
        self.stance = stance
        self.statement = statement
        self.at = at
        self.source = source
    }
}
