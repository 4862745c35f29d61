import ArgumentParser
import CouloirApp
import CouloirAudit
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify, sign and export the tamper-evident audit log.",
        discussion: """
            Every change to a record appends an entry to the audit log in the change's own \
            transaction; entries are the leaves of a Merkle tree hashed as RFC 9162 does, and \
            the server signs the tree head with Ed25519 every minute and as it stops.
            """,
        subcommands: [Verify.self, Export.self, Sign.self, PublicKey.self])

    /// The database and the signing key, shared by the audit subcommands.
    struct Options: ParsableArguments {
        @OptionGroup var database: DatabaseOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "The audit signing key file (default: the database path + .audit-key, or couloir-audit.key).",
                valueName: "path"))
        var auditKey: String?

        func config() throws -> AppConfig {
            var config = AppConfig(environment: ProcessInfo.processInfo.environment)
            try database.apply(to: &config)
            if let auditKey { config.auditKey = auditKey }
            return config
        }

        /// Runs `body` with the up-to-date database's repository, and closes it.
        func withStore<R>(_ body: (SQLRepository, AppConfig) async throws -> R) async throws -> R {
            let config = try config()
            return try await withDatabase(config) { pool, _ in
                try await Migrator(pool: pool).checkUpToDate()
                return try await body(SQLRepository(pool: pool, actor: .system("cli")), config)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry and signed tree head of the audit log; name the first bad entry.",
            discussion: "Exits with status 1 if the log does not hold up.")

        @OptionGroup var options: Options

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Trust this Ed25519 public key (64 hex digits) instead of the key file's.", valueName: "hex"))
        var publicKey: String?

        func run() async throws {
            let summary: AuditSummary
            do {
                summary = try await options.withStore { store, config in
                    try await store.verifyAuditLog(trusting: try trustedKey(config))
                }
            } catch let failure as AuditFailure {
                FileHandle.standardError.write(Data("The audit log does not hold up: \(failure).\n".utf8))
                throw ExitCode(1)
            }
            print(
                """
                The audit log holds up: \(summary.entries) entries, root \(summary.root.hex). Signed tree heads \
                checked: \(summary.heads). Entries after the last signed head: \(summary.unsigned).
                """)
        }

        private func trustedKey(_ config: AppConfig) throws -> Data {
            if let publicKey {
                guard let key = Data(hex: publicKey), key.count == 32 else {
                    throw ValidationError("--public-key takes 64 hexadecimal digits")
                }
                return key
            }
            return try AuditKeyFile.load(from: config.auditKeyPath).publicKey.rawRepresentation
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit log to a file anyone can verify (JSON Lines; see the README).")

        @OptionGroup var options: Options

        @Option(name: .shortAndLong, help: ArgumentHelp("The file to write.", valueName: "path"))
        var output: String

        func run() async throws {
            guard FileManager.default.createFile(atPath: output, contents: nil) else {
                throw ValidationError("cannot create \(output)")
            }
            let file = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            defer { try? file.close() }
            let count = try await options.withStore { store, config in
                let key = try AuditKeyFile.load(from: config.auditKeyPath)
                return try await store.exportAuditLog(publicKey: key.publicKey.rawRepresentation) { line in
                    try file.write(contentsOf: Data(line.utf8))
                }
            }
            try file.synchronize()
            print("Wrote \(count) audit entries to \(output).")
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the audit log's tree head now (the server also does so every minute).")

        @OptionGroup var options: Options

        func run() async throws {
            let signed = try await options.withStore { store, config in
                try await store.signTreeHead(with: try AuditKeyFile.loadOrCreate(at: config.auditKeyPath))
            }
            if let signed {
                print("Signed the tree head at \(signed.head.size) entries: root \(signed.head.root.hex).")
            } else {
                print("Nothing to sign: the log is empty or its head at this size is signed already.")
            }
        }
    }

    struct PublicKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "public-key",
            abstract: "Print the public key that verifies the tree heads, to give verifiers apart from an export.")

        @OptionGroup var options: Options

        func run() async throws {
            let config = try options.config()
            print(try AuditKeyFile.load(from: config.auditKeyPath).publicKey.rawRepresentation.hex)
        }
    }
}
