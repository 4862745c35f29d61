public import CouloirDomain

/// The principal the request being answered acts for, set by the server's
/// authentication before the API's handlers run.
public enum RequestPrincipal {
    @TaskLocal public static var current: Principal?

    /// The current principal; the request is refused as unauthenticated without one.
    static func require() throws -> Principal {
        guard let current else { throw AccessError.unauthenticated }
        return current
    }
}

/// Why a request may not go on.
enum AccessError: Error, CustomStringConvertible {
    /// No valid credentials came with the request.
    case unauthenticated
    /// The caller may see the record but not do this to it.
    case forbidden(kind: String, id: String, action: Action)
    /// The caller may not do this anywhere in the operation, or at all.
    case forbiddenAction(Action)

    var description: String {
        switch self {
        case .unauthenticated:
            "This request needs a valid access token (Authorization: Bearer …) or a session."
        case .forbidden(let kind, let id, let action):
            "You may see \(kind) \(id) but your role may not \(action.phrase) it."
        case .forbiddenAction(let action):
            "Your role may not \(action.phrase) here."
        }
    }
}

extension Action {
    /// The action as a verb phrase: "you may not …".
    var phrase: String {
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
        }
    }
}
