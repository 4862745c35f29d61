/// Where a pause stands: proposed → agreed → active ⇄ suspended → ended, or cancelled.
public enum PauseState: String, Hashable, Sendable, Codable, CaseIterable {
    /// Put forward by a party or a mediator, not yet accepted by all.
    case proposed
    /// Accepted; its windows will hold once it is activated.
    case agreed
    /// In force: corridors it covers are open during its windows.
    case active
    /// Interrupted (a violation, a party's decision); may resume.
    case suspended
    /// Over for good after having been in force.
    case ended
    /// Abandoned before it was ever in force.
    case cancelled

    /// The states the lifecycle allows next.
    public var successors: Set<PauseState> {
        switch self {
        case .proposed: [.agreed, .cancelled]
        case .agreed: [.active, .cancelled]
        case .active: [.suspended, .ended]
        case .suspended: [.active, .ended]
        case .ended, .cancelled: []
        }
    }

    public func canMove(to next: PauseState) -> Bool {
        successors.contains(next)
    }

    public var isFinal: Bool { successors.isEmpty }
}
