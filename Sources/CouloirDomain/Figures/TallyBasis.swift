public import Foundation

/// What figures computed from tallies rest on: how many tallies, and how recent.
public struct TallyBasis: Hashable, Sendable {
    /// Tallies received, corrections included.
    public var received: Int
    /// Tallies that count: those no received tally supersedes.
    public var effective: Int
    /// Tallies that count and were made up for a demonstration.
    public var illustrative: Int
    public var lastReceivedAt: Date?

    public init(received: Int = 0, effective: Int = 0, illustrative: Int = 0, lastReceivedAt: Date? = nil) {
        self.received = received
        self.effective = effective
        self.illustrative = illustrative
        self.lastReceivedAt = lastReceivedAt
    }

    public var superseded: Int { received - effective }

    /// Adds the basis of other checkpoints.
    public static func + (lhs: TallyBasis, rhs: TallyBasis) -> TallyBasis {
        TallyBasis(
            received: lhs.received + rhs.received, effective: lhs.effective + rhs.effective,
            illustrative: lhs.illustrative + rhs.illustrative,
            lastReceivedAt: [lhs.lastReceivedAt, rhs.lastReceivedAt].compactMap { $0 }.max())
    }

    /// The source of a figure added up from these tallies (rule 3): the monitoring teams,
    /// and illustrative as soon as one tally that counts is.
    public func source(checkpoints: Int) -> Source {
        Source(
            name: "Couloir tallies from monitoring teams at \(checkpoints) checkpoint\(checkpoints == 1 ? "" : "s")",
            kind: .monitor,
            reference: "\(effective) tallies count; \(superseded) superseded by corrections",
            illustrative: illustrative > 0)
    }
}
