public import CouloirAccess
import CouloirCore
public import CouloirDemo
public import CouloirDomain
public import CouloirStorage
public import Foundation

/// The demo's people and one field phone: users of every role with fresh passwords, and
/// a token for a monitor's phone. Made or reset each time `couloir demo` starts, since
/// only hashes are stored and a password cannot be shown twice.
public struct DemoCredentials: Sendable {
    public struct Account: Sendable {
        public var login: String
        public var role: Role
        public var organisation: String
        public var password: String
        /// What the account is assigned, in words.
        public var assignment: String?
    }

    public var accounts: [Account]
    public var deviceLabel: String
    public var deviceToken: String

    /// Makes the demo's users (or gives them new passwords) and issues a new phone token.
    public static func issue(
        for scenario: DemoScenario, into store: some IdentityRepository, hasher: PasswordHasher = PasswordHasher(),
        now: Date = Date()
    ) async throws -> DemoCredentials {
        let coordination = try await store.findOrAddOrganisation(named: DemoLoader.coordination).organisation
        let field = try await store.findOrAddOrganisation(named: DemoLoader.fieldTeam).organisation
        let delegation = try await store.findOrAddOrganisation(named: DemoLoader.delegation).organisation
        let secondCell = try await store.findOrAddOrganisation(named: DemoLoader.secondCell).organisation
        let operation = scenario.operations[0]
        guard let corridor = scenario.corridors.first(where: { $0.operationID == operation.id }),
            let checkpoint = corridor.checkpoints.first,
            let party = scenario.parties.first(where: { $0.operationID == operation.id && $0.kind == .belligerent })
        else { preconditionFailure("the demo's first operation has a corridor with a checkpoint and a belligerent") }

        let counting = Assignment(checkpointIDs: [checkpoint.id])
        let countingNote = "counts at \(checkpoint.name) (corridor \(corridor.code))"
        let people: [(String, Role, Organisation, Assignment, String?)] = [
            ("admin@ocha", .admin, coordination, Assignment(), nil),
            ("coordinator@ocha", .coordinator, coordination, Assignment(), nil),
            ("analyst@ocha", .analyst, coordination, Assignment(), nil),
            ("observer@ocha", .observer, coordination, Assignment(), nil),
            ("monitor@sarc", .monitor, field, counting, countingNote),
            (
                "liaison@government", .partyLiaison, delegation, Assignment(partyID: party.id),
                "represents \(party.name)"
            ),
            (
                "coordinator@homs", .coordinator, secondCell, Assignment(),
                "runs \(scenario.operations.dropFirst().first?.name ?? "another operation"), and sees nothing of Aleppo"
            ),
        ]
        var accounts: [Account] = []
        for (login, role, organisation, assignment, note) in people {
            let password = Self.password()
            let hash = try await hasher.hash(password)
            if let existing = try await store.user(login: login) {
                _ = try await store.setPasswordHash(hash, user: existing.user.id)
            } else {
                try await store.insert(
                    User(organisationID: organisation.id, login: login, role: role, assignment: assignment),
                    passwordHash: hash)
            }
            accounts.append(
                Account(
                    login: login, role: role, organisation: organisation.name, password: password, assignment: note))
        }
        let label = "Demo phone at \(checkpoint.name)"
        let secret = try await store.issue(
            AccessToken(organisationID: field.id, label: label, role: .monitor, assignment: counting, issuedAt: now))
        return DemoCredentials(accounts: accounts, deviceLabel: label, deviceToken: secret)
    }

    static func password() -> String {
        GeneratedPassword.make()
    }

    /// The accounts and the token, as `couloir demo` prints them.
    public var text: String {
        var lines = ["Demo accounts (new passwords each time the demo starts):"]
        for account in accounts {
            let role = account.role.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
            let login = account.login.padding(toLength: 20, withPad: " ", startingAt: 0)
            lines.append(
                "  \(login) \(role) \(account.password)  \(account.organisation)"
                    + (account.assignment.map { "; \($0)" } ?? ""))
        }
        lines.append("Device token (\(deviceLabel), monitor): \(deviceToken)")
        lines.append("Send it as: Authorization: Bearer \(deviceToken)")
        return lines.joined(separator: "\n")
    }
}
