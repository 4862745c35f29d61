import ArgumentParser
import CouloirAccess
import CouloirApp
import CouloirCore
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging

/// Options of the commands that change users and tokens.
struct IdentityOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOptions

    /// Runs `body` with the migrated database's repository, writing as `system:cli`.
    func withStore<R>(_ body: (SQLRepository) async throws -> R) async throws -> R {
        var config = AppConfig(environment: ProcessInfo.processInfo.environment)
        try database.apply(to: &config)
        return try await withDatabase(config) { pool, logger in
            try await Migrator(pool: pool).migrate(logger: logger)
            return try await body(SQLRepository(pool: pool, actor: .system("cli")))
        }
    }
}

/// The organisation named, made first (and said so) if it does not exist.
func findOrAddOrganisation(named name: String, in store: SQLRepository) async throws -> Organisation {
    let (organisation, added) = try await store.findOrAddOrganisation(named: name)
    if added { print("Added organisation \(name).") }
    return organisation
}

func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text) else {
        throw ValidationError("a role is one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return role
}

struct Assignments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A checkpoint a monitor counts at (repeat for more).", valueName: "id"))
    var checkpoint: [String] = []

    @Option(name: .long, help: ArgumentHelp("The party a party liaison represents.", valueName: "id"))
    var party: String?

    func assignment() throws -> Assignment {
        let checkpoints = try checkpoint.map { text in
            guard let id = Checkpoint.ID(text) else { throw ValidationError("--checkpoint takes a UUID, not \(text)") }
            return id
        }
        let party = try party.map { text in
            guard let id = Party.ID(text) else { throw ValidationError("--party takes a UUID, not \(text)") }
            return id
        }
        return Assignment(checkpointIDs: checkpoints, partyID: party)
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, disable and enable users.",
        subcommands: [Add.self, Disable.self, Enable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user to an organisation (made if new) with a role.",
            discussion: """
                The password is read from standard input (one line) when it is not a terminal, \
                and asked for twice, unechoed, when it is. Passwords of fewer than 12 characters, \
                repetitive ones, ones containing the login and the 30,000 most common are refused.
                """)

        @OptionGroup var options: IdentityOptions
        @Option(name: .long, help: "The organisation's name.") var organisation: String
        @Option(
            name: .long, help: "admin, coordinator, monitor, party-liaison, analyst or observer.", transform: parseRole)
        var role: Role
        @Option(name: .long, help: "What the user signs in with: 3 to 64 of a-z, 0-9, '.', '_', '-', '@'.")
        var login: String
        @OptionGroup var assignments: Assignments

        func run() async throws {
            let password = try readPassword()
            let policy = try PasswordPolicy.standard()
            do throws(DomainError) {
                try policy.check(password, login: login)
            } catch {
                guard case .invalid(let issues) = error else { throw error }
                throw ValidationError("the password " + issues.map(\.reason).joined(separator: "; "))
            }
            let hash = try await PasswordHasher().hash(password)
            try await options.withStore { store in
                let user = User(
                    organisationID: try await findOrAddOrganisation(named: organisation, in: store).id,
                    login: login, role: role, assignment: try assignments.assignment())
                try await store.insert(user, passwordHash: hash)
                print("Added \(role.rawValue) \(login) (\(user.id)) to \(organisation).")
            }
        }

        private func readPassword() throws -> String {
            guard isatty(STDIN_FILENO) != 0 else {
                guard let line = readLine(strippingNewline: true) else {
                    throw ValidationError("no password on standard input")
                }
                return line
            }
            let first = try Terminal.readUnechoed(prompt: "Password for \(login): ")
            guard try Terminal.readUnechoed(prompt: "Again: ") == first else {
                throw ValidationError("the two passwords differ")
            }
            return first
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they can no longer sign in.")
        @OptionGroup var options: IdentityOptions
        @Argument(help: "The user's login.") var login: String

        func run() async throws {
            try await setDisabled(true, login: login, options: options)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var options: IdentityOptions
        @Argument(help: "The user's login.") var login: String

        func run() async throws {
            try await setDisabled(false, login: login, options: options)
        }
    }

    static func setDisabled(_ disabled: Bool, login: String, options: IdentityOptions) async throws {
        try await options.withStore { store in
            guard let stored = try await store.user(login: login) else { throw ValidationError("no user \(login)") }
            _ = try await store.setDisabled(disabled, user: stored.user.id)
            print("\(disabled ? "Disabled" : "Enabled") \(login).")
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Issue, list and revoke access tokens for field phones and scripts.",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token for an organisation (made if new) and a role; its secret is shown once.")

        @OptionGroup var options: IdentityOptions
        @Option(name: .long, help: "The organisation's name.") var organisation: String
        @Option(
            name: .long, help: "admin, coordinator, monitor, party-liaison, analyst or observer.", transform: parseRole)
        var role: Role
        @Option(name: .long, help: "What the token is for, e.g. \"Phone 3, Bustan al-Qasr\".") var label: String
        @OptionGroup var assignments: Assignments

        func run() async throws {
            try await options.withStore { store in
                let token = AccessToken(
                    organisationID: try await findOrAddOrganisation(named: organisation, in: store).id,
                    label: label, role: role, assignment: try assignments.assignment(), issuedAt: Date())
                let secret = try await store.issue(token)
                print("Issued token \(token.id) (\(role.rawValue), \(label)). Its secret, shown this once:")
                print(secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organisation's tokens, newest first.")
        @OptionGroup var options: IdentityOptions
        @Option(name: .long, help: "The organisation's name.") var organisation: String

        func run() async throws {
            try await options.withStore { store in
                guard let found = try await store.organisation(named: organisation) else {
                    throw ValidationError("no organisation \(organisation)")
                }
                for stored in try await store.tokens(of: found.id) {
                    let token = stored.token
                    let state = token.revokedAt.map { "revoked \($0.formatted(.iso8601))" } ?? "active"
                    let used = stored.lastUsedAt.map { "last used \($0.formatted(.iso8601))" } ?? "never used"
                    print("\(token.id)  \(token.role.rawValue)  \(token.label)  \(state), \(used)")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")
        @OptionGroup var options: IdentityOptions
        @Argument(help: "The token's id.") var id: String

        func run() async throws {
            guard let tokenID = AccessToken.ID(id) else { throw ValidationError("a token id is a UUID") }
            try await options.withStore { store in
                let revoked = try await store.revoke(tokenID, at: Date())
                print("Revoked token \(revoked.token.id) (\(revoked.token.label)).")
            }
        }
    }
}
