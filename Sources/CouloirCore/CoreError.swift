public import CouloirDomain

/// Why the core refused an action, beyond the domain's own rules (`DomainError`) and
/// what storage refuses (`StorageError`). Each face maps these once: a hidden record is
/// "not found" (404 in HTTP), a forbidden action 403, a missing version 428, a stale one
/// 412.
public enum CoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The record does not exist, or the principal may not see it: the two are told
    /// apart by nobody, so that what exists does not leak.
    case hidden(kind: String, id: String)
    /// The principal may see the record but may not do this to it.
    case forbidden(kind: String, id: String, action: Action)
    /// The principal may not do this anywhere in the operation, or at all.
    case forbiddenAction(Action)
    /// The principal may see the checkpoint but its role and assignment do not count there.
    case notCountingAt(Checkpoint.ID)
    /// An edit did not say which version of the record it was made from.
    case versionRequired
    /// The record changed since the version the edit was made from.
    case stale(kind: String, current: Int)

    public var description: String {
        switch self {
        case .hidden(let kind, let id):
            "No \(kind) \(id)."
        case .forbidden(let kind, let id, let action):
            "You may see \(kind) \(id) but your role may not \(action.phrase) it."
        case .forbiddenAction(let action):
            "Your role may not \(action.phrase) here."
        case .notCountingAt(let id):
            "You may see checkpoint \(id), but your role and assignment do not count there."
        case .versionRequired:
            "Say which version of the record you edited (its ETag, in If-Match); nothing was changed."
        case .stale(let kind, let current):
            "The \(kind) has changed: it is at version \(current) now. Read it again; nothing was changed."
        }
    }
}

extension Action {
    /// The action as a verb phrase: "you may not …".
    public var phrase: String {
        switch self {
        case .readPlan: "read the plan of"
        case .editOperation: "change"
        case .editPlan: "change the plan of"
        case .managePause: "manage the pauses of"
        case .submitTally: "count at"
        case .readTallies: "read the tallies of"
        case .readFigures: "read the figures of"
        case .readReports: "read the reports of"
        case .reportIncident: "report incidents in"
        case .recordClaim: "record claims in"
        case .verifyReport: "change the verification of"
        case .manageUsers: "manage the users of"
        case .manageTokens: "manage the tokens of"
        case .readAudit: "read the audit log of"
        case .manageMembers: "manage the members of"
        }
    }
}
