import CouloirAudit
public import CouloirDomain
public import Foundation

/// One change to a record, as a page tells it: when, who, what.
public struct HistoryEntry: Hashable, Sendable {
    /// Who made a change, as far as the reader may know them.
    public enum Who: Hashable, Sendable {
        /// A user; their login only to a reader of their own organisation.
        case user(login: String?, organisation: String?)
        /// A phone or a script; its label only to a reader of its own organisation.
        case device(label: String?, organisation: String?)
        /// Couloir itself (the demo loader, a migration).
        case system(String)
    }

    public var at: Date
    public var who: Who
    /// What was done: `create`, `update`, `override`, `transition`, `verify`, …
    public var action: String
}

extension Core {
    /// The changes to a record of the operation, oldest first, from the audit log: `nil`
    /// when the principal's role reads no audit log. The record is read first, as its own
    /// page would, so a record the principal may not see has no history to it either.
    public func history(
        of kind: RecordKind, _ id: String, in operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws -> [HistoryEntry]? {
        guard principal.reach(for: .readAudit) > .nothing else { return nil }
        try await requireReadable(kind, id, in: operationID, as: principal)
        let entries = try await base.auditEntries(ofKind: kind.rawValue, id: id).filter {
            kind == .operation || $0.operation == operationID.description
        }
        let organisations = Dictionary(uniqueKeysWithValues: try await base.organisations().map { ($0.id, $0.name) })
        let ownTokens = try await base.tokens(of: principal.organisationID)
        var users: [String: HistoryEntry.Who] = [:]
        var history: [HistoryEntry] = []
        for entry in entries {
            guard let at = UTCText.date(entry.at) else { continue }
            let parts = entry.actor.split(separator: ":", maxSplits: 1).map(String.init)
            let who: HistoryEntry.Who
            switch (parts.first, parts.count == 2 ? parts[1] : "") {
            case ("user", let text):
                if let known = users[text] {
                    who = known
                } else {
                    let user = try await User.ID(text).asyncMap { try await base.user($0)?.user }
                    let own = user?.organisationID == principal.organisationID
                    who = .user(
                        login: own ? user?.login : nil, organisation: user.flatMap { organisations[$0.organisationID] })
                    users[text] = who
                }
            case ("device", let text):
                let token = ownTokens.first { $0.token.id.description == text }?.token
                who = .device(label: token?.label, organisation: token.flatMap { organisations[$0.organisationID] })
            default:
                who = .system(parts.count == 2 ? parts[1] : entry.actor)
            }
            history.append(HistoryEntry(at: at, who: who, action: entry.action))
        }
        return history
    }

    private func requireReadable(
        _ kind: RecordKind, _ id: String, in operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws {
        let hidden = CoreError.hidden(kind: kind.rawValue, id: id)
        switch kind {
        case .operation:
            guard EvacuationOperation.ID(id) == operationID else { throw hidden }
            _ = try await operation(operationID, as: principal)
        case .party: _ = try await party(try Party.ID(id).orThrow(hidden), in: operationID, as: principal)
        case .sector: _ = try await sector(try Sector.ID(id).orThrow(hidden), in: operationID, as: principal)
        case .corridor:
            _ = try await corridor(try Corridor.ID(id).orThrow(hidden), in: operationID, at: now(), as: principal)
        case .checkpoint:
            _ = try await checkpoint(try Checkpoint.ID(id).orThrow(hidden), in: operationID, as: principal)
        case .pause: _ = try await pause(try Pause.ID(id).orThrow(hidden), in: operationID, as: principal)
        case .incident: _ = try await incident(try Incident.ID(id).orThrow(hidden), in: operationID, as: principal)
        case .claim: _ = try await claim(try Claim.ID(id).orThrow(hidden), in: operationID, as: principal)
        }
    }
}

extension Optional {
    fileprivate func orThrow(_ error: some Error) throws -> Wrapped {
        guard let self else { throw error }
        return self
    }

    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
