/// What a user does in Couloir; each user has one, within one organisation.
public enum Role: String, Hashable, Sendable, Codable, CaseIterable {
    /// Runs Couloir for an organisation: its users, tokens and audit.
    case admin
    /// A coordination or access cell: sets up operations, records pauses and their
    /// guarantees, watches progress, publishes situation reports.
    case coordinator
    /// A field team at the checkpoints it is assigned: counts crossings and reports
    /// incidents.
    case monitor
    /// A representative of one party to the conflict: sees only what is shared with that
    /// party.
    case partyLiaison = "party-liaison"
    /// Records statements and figures from sources, with attribution and verification.
    case analyst
    /// Reads the operation's records and figures; changes nothing.
    case observer
}

/// What a request asks to do, at the grain the policy decides.
public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
    /// Read operations and their plan: parties, sectors, corridors, checkpoints, pauses.
    case readPlan = "read-plan"
    /// Create or change an operation's own description.
    case editOperation = "edit-operation"
    /// Create or change parties, sectors, corridors, checkpoints, and override corridors.
    case editPlan = "edit-plan"
    /// Record pauses, revise their terms, and move them through their lifecycle.
    case managePause = "manage-pause"
    /// Submit or correct tallies.
    case submitTally = "submit-tally"
    /// Read tallies one by one.
    case readTallies = "read-tallies"
    /// Read flow and progress figures.
    case readFigures = "read-figures"
    /// Read incidents and claims.
    case readReports = "read-reports"
    /// Report or amend an incident.
    case reportIncident = "report-incident"
    /// Record or amend a claim.
    case recordClaim = "record-claim"
    /// Change the verification status of an incident or a claim.
    case verifyReport = "verify-report"
    /// Add, change and disable users.
    case manageUsers = "manage-users"
    /// Issue and revoke device and script tokens.
    case manageTokens = "manage-tokens"
    /// Add and remove the organisations taking part in an operation.
    case manageMembers = "manage-members"
    /// Read, verify and export the audit log.
    case readAudit = "read-audit"

    /// Whether the action changes anything.
    public var changes: Bool {
        switch self {
        case .readPlan, .readTallies, .readFigures, .readReports, .readAudit: false
        default: true
        }
    }
}
