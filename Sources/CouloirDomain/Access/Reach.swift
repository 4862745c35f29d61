/// How a record stands to the user asking about it.
public enum Relation: String, Hashable, Sendable, CaseIterable {
    /// The user's own assignment: a checkpoint assigned to a monitor, and what is
    /// counted or reported there; for a party liaison, what is shared with their party.
    case own
    /// A record of the user's organisation that is not their own assignment.
    case sameOrganisation = "same-organisation"
    /// A record of another organisation.
    case otherOrganisation = "other-organisation"
}

/// How far a role's permission for an action reaches, from nothing to the whole
/// operation; each reach includes the ones before it.
public enum Reach: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case nothing
    case ownAssignment
    case ownOrganisation
    case operationWide

    public static func < (lhs: Reach, rhs: Reach) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether a permission of this reach covers a record in `relation` to the user.
    public func covers(_ relation: Relation) -> Bool {
        switch relation {
        case .own: self >= .ownAssignment
        case .sameOrganisation: self >= .ownOrganisation
        case .otherOrganisation: self == .operationWide
        }
    }

    public var description: String {
        switch self {
        case .nothing: "nothing"
        case .ownAssignment: "own assignment"
        case .ownOrganisation: "own organisation"
        case .operationWide: "operation-wide"
        }
    }
}
