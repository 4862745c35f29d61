/// How a record stands to the user asking about it.
public enum Relation: String, Hashable, Sendable, CaseIterable {
    /// The user's own assignment: a checkpoint assigned to a monitor, and what is
    /// counted or reported there; for a party liaison, what is shared with their party.
    case own
    /// A record of the user's organisation that is not their own assignment.
    case sameOrganisation = "same-organisation"
    /// A record of another organisation taking part in the same operation.
    case otherOrganisation = "other-organisation"
    /// A record of an operation the user's organisation takes no part in: out of every
    /// reach, so that such an operation is, to the user, one that does not exist.
    case nonMember = "non-member"
}

/// How far a role's permission for an action reaches, from nothing to the whole
/// operation; each reach includes the ones before it.
public enum Reach: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case nothing
    case ownAssignment
    case ownOrganisation
    /// Across the organisations taking part in the operation.
    case operationWide

    public static func < (lhs: Reach, rhs: Reach) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether a permission of this reach covers a record in `relation` to the user.
    public func covers(_ relation: Relation) -> Bool {
        switch relation {
        case .own: self >= .ownAssignment
        case .sameOrganisation: self >= .ownOrganisation
        case .otherOrganisation: self == .operationWide
        case .nonMember: false
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
