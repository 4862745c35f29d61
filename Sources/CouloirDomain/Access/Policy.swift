/// Who may do what, in one table: for each role, how far each action reaches. What the
/// table does not list, the role may not do. Enforcement and its tests read this table;
/// nothing else decides. Every reach stops at the operation's members: an organisation
/// that takes no part in an operation reaches nothing in it.
public enum Policy {
    public static let table: [Role: [Action: Reach]] = [
        .admin: Dictionary(uniqueKeysWithValues: Action.allCases.map { ($0, .operationWide) }),
        .coordinator: [
            .readPlan: .operationWide, .editOperation: .ownOrganisation, .editPlan: .operationWide,
            .managePause: .operationWide, .readTallies: .operationWide, .readFigures: .operationWide,
            .readReports: .operationWide, .reportIncident: .operationWide, .recordClaim: .operationWide,
            .verifyReport: .operationWide, .manageTokens: .ownOrganisation, .readAudit: .ownOrganisation,
        ],
        .monitor: [
            .readPlan: .ownOrganisation, .submitTally: .ownAssignment, .readTallies: .ownOrganisation,
            .readFigures: .ownOrganisation, .readReports: .ownOrganisation, .reportIncident: .ownAssignment,
        ],
        .partyLiaison: [
            .readPlan: .ownAssignment, .readFigures: .ownAssignment, .readReports: .ownAssignment,
        ],
        .analyst: [
            .readPlan: .operationWide, .readTallies: .operationWide, .readFigures: .operationWide,
            .readReports: .operationWide, .recordClaim: .ownOrganisation, .verifyReport: .ownOrganisation,
        ],
        .observer: [
            .readPlan: .operationWide, .readFigures: .operationWide, .readReports: .operationWide,
        ],
    ]

    /// How far `role`'s permission for `action` reaches.
    public static func reach(of role: Role, for action: Action) -> Reach {
        table[role]?[action] ?? .nothing
    }

    /// Whether `role` may do `action` to a record in `relation` to the user.
    public static func allows(_ role: Role, _ action: Action, on relation: Relation) -> Bool {
        reach(of: role, for: action).covers(relation)
    }
}

extension Policy {
    /// What administers an organisation: managing its users, tokens and memberships, and
    /// reading its audit log.
    static let administrative: [Action] = [.manageUsers, .manageTokens, .manageMembers, .readAudit]

    /// Whether a user of `granter`'s role may give `role` to a new user or token: only
    /// when the granter holds every administrative action at least as far as `role`
    /// does, so that nobody makes someone who administers more than they do.
    public static func mayGrant(_ role: Role, by granter: Role) -> Bool {
        administrative.allSatisfy { reach(of: role, for: $0) <= reach(of: granter, for: $0) }
    }
}
