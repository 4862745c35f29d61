/// What the domain refuses. The HTTP edge maps each case to a problem document once.
public enum DomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The record breaks one or more rules; each issue names the field at fault.
    case invalid([FieldIssue])
    /// The pause lifecycle does not allow this step from the pause's current state.
    case illegalTransition(from: PauseState, to: PauseState)
    /// The record's state forbids this change (a pause in force cannot be rewritten).
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let issues):
            "invalid: " + issues.map(\.description).joined(separator: "; ")
        case .illegalTransition(let from, let to):
            "a pause cannot go from \(from.rawValue) to \(to.rawValue)"
        case .conflict(let reason):
            reason
        }
    }

    /// The issues of an ``invalid(_:)`` error, or none.
    public var issues: [FieldIssue] {
        if case .invalid(let issues) = self { issues } else { [] }
    }
}
