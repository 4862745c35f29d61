import CouloirCore
import CouloirDomain
import Foundation

/// A record's history from the audit log, as its page shows it: when, who, what. Shown
/// to roles that read the audit log; the core says who may know whose name.
extension WebFace {
    func historyView(
        _ kind: RecordKind, _ id: String, in operation: EvacuationOperation, formats: Formats, visit: Visit
    ) async throws -> [String: Any]? {
        guard let history = try await core.history(of: kind, id, in: operation.id, as: visit.principal) else {
            return nil
        }
        let rows = history.reversed().map { entry -> [String: Any] in
            [
                "at": formats.instant(entry.at), "who": Self.who(entry.who, visit: visit),
                "what": visit.catalogue.messages["history_action.\(entry.action)"] ?? entry.action,
            ]
        }
        return ["rows": rows]
    }

    static func who(_ who: HistoryEntry.Who, visit: Visit) -> String {
        switch who {
        case .user(let login?, let organisation):
            visit.text("history.user", ["login": login, "organisation": organisation ?? ""])
        case .user(nil, let organisation?):
            visit.text("history.user_of", ["organisation": organisation])
        case .user(nil, nil):
            visit.text("history.someone")
        case .device(let label?, _):
            visit.text("history.device", ["label": label])
        case .device(nil, _):
            visit.text("history.a_device")
        case .system:
            visit.text("history.system")
        }
    }
}
