import ArgumentParser
import CouloirDomain
import CouloirStorage
import Foundation

struct MemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "List, add and remove the organisations taking part in an operation.",
        discussion: """
            Only the people of an operation's member organisations reach it; to anyone \
            else it does not exist. The organisation that creates an operation is its \
            first member. Changes are audited; the command acts as system:cli, for \
            whoever holds the database.
            """,
        subcommands: [List.self, Add.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an operation's member organisations.")
        @Option(help: "The operation's id.") var operation: String
        @OptionGroup var options: IdentityOptions

        func run() async throws {
            let operationID = try parseOperation(operation)
            try await options.withStore { store in
                for member in try await store.memberList(of: operationID) {
                    print("\(member.organisation.id)  \(member.organisation.name)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an organisation (made first if it is new) a member of an operation.")
        @Option(help: "The operation's id.") var operation: String
        @Option(help: "The organisation's name.") var organisation: String
        @OptionGroup var options: IdentityOptions

        func run() async throws {
            let operationID = try parseOperation(operation)
            try await options.withStore { store in
                let member = try await findOrAddOrganisation(named: organisation, in: store)
                _ = try await store.addMember(member.id, to: operationID)
                print("\(member.name) takes part in operation \(operationID).")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End an organisation's part in an operation (not its last member's).")
        @Option(help: "The operation's id.") var operation: String
        @Option(help: "The organisation's name.") var organisation: String
        @OptionGroup var options: IdentityOptions

        func run() async throws {
            let operationID = try parseOperation(operation)
            try await options.withStore { store in
                guard let member = try await store.organisation(named: organisation) else {
                    throw ValidationError("no organisation is named \(organisation)")
                }
                do {
                    try await store.removeMember(member.id, from: operationID)
                } catch StorageError.notFound {
                    throw ValidationError("\(organisation) takes no part in operation \(operationID)")
                } catch let refusal as DomainError {
                    throw ValidationError("\(refusal)")
                }
                print("\(member.name) no longer takes part in operation \(operationID).")
            }
        }
    }
}

func parseOperation(_ text: String) throws -> EvacuationOperation.ID {
    guard let id = EvacuationOperation.ID(text) else { throw ValidationError("an operation's id is a UUID") }
    return id
}
