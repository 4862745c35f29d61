import ArgumentParser
import CouloirApp
import CouloirBench
import CouloirDemo
import CouloirDemoSetup
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import Logging

@main
struct Couloir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "couloir",
        abstract: "Plan, run and monitor humanitarian pauses and evacuation corridors.",
        discussion: """
            Couloir keeps its records in an SQLite file by default (couloir.sqlite in the \
            current folder), or in PostgreSQL when --database is a postgres:// URL. \
            Environment variables COULOIR_DATABASE, COULOIR_HOST, COULOIR_PORT and \
            COULOIR_LOG_LEVEL set the defaults that the options override.
            """,
        subcommands: [
            Serve.self, Migrate.self, Demo.self, UserCommand.self, TokenCommand.self, MemberCommand.self, Audit.self,
            Bench.self,
            ConstantServerCommand.self,
        ],
        defaultSubcommand: nil)
}

/// Options every subcommand that opens the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "An SQLite file path, or a postgres://user:password@host:port/database URL.",
            valueName: "path-or-url"))
    var database: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    func apply(to config: inout AppConfig) throws {
        if let database { config.database = DatabaseLocation(database) }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = level
        }
    }
}

struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "The address to listen on (default: 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "The port to listen on (default: 8080; 0 picks a free one).")
    var port: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The address phones reach the server at, behind a proxy (default: the address it listens on).",
            valueName: "https://host[:port]"))
    var publicURL: String?

    func apply(to config: inout AppConfig) throws {
        if let host { config.host = host }
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme), url.host != nil,
                url.query == nil, url.fragment == nil
            else {
                throw ValidationError(
                    "--public-url must be an http:// or https:// address, such as https://couloir.example.org")
            }
            config.publicURL = publicURL
        }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must lie in 0...65535") }
            config.port = port
        }
    }
}

func serveApplication(_ config: AppConfig, hint: String? = nil) async throws {
    let app = try await buildApplication(
        config: config,
        onServerRunning: { port in
            var message =
                "Couloir is serving on http://\(config.host):\(port) (\(config.database)). Stop it with Ctrl-C.\n"
            if let hint {
                message += hint.replacingOccurrences(of: "{base}", with: "http://\(config.host):\(port)") + "\n"
            }
            // Unbuffered, so that a supervisor or a pipe sees it at once.
            FileHandle.standardOutput.write(Data(message.utf8))
        })
    try await app.runService()
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the JSON API.",
        discussion:
            "Applies pending migrations first, unless --no-migrate is given. Stops gracefully on SIGINT or SIGTERM.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Flag(inversion: .prefixedNo, help: "Apply pending migrations before serving.")
    var migrate = true

    func run() async throws {
        var config = AppConfig(environment: ProcessInfo.processInfo.environment)
        try database.apply(to: &config)
        try server.apply(to: &config)
        config.migrateOnStart = migrate
        try await serveApplication(config)
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a database holding the Aleppo 2016 demo scenario.",
        discussion: """
            Creates (or reuses) the database, loads the demo once, gives the demo's users \
            (one of each role) new passwords, issues a new token for a monitor's phone, \
            prints them, and serves. The demo's pause lies in October 2016: ask for \
            corridors with ?at=2016-10-20T10:00:00+03:00 to see them open.
            """)

    @Option(name: .long, help: ArgumentHelp("Where to keep the demo database.", valueName: "path-or-url"))
    var database = "couloir-demo.sqlite"

    @Option(name: .long, help: "Log level.")
    var logLevel: String?

    @OptionGroup var server: ServerOptions

    func run() async throws {
        var config = AppConfig(environment: ProcessInfo.processInfo.environment)
        try DatabaseOptions(database: database, logLevel: logLevel).apply(to: &config)
        try server.apply(to: &config)
        let credentials = try await withDatabase(config) { pool, logger in
            try await Migrator(pool: pool).migrate(logger: logger)
            let store = SQLRepository(pool: pool, actor: .system("demo"))
            try await DemoLoader.load(.aleppo2016(), into: store, logger: logger)
            return try await DemoCredentials.issue(for: .aleppo2016(), into: store)
        }
        // Unbuffered, before the server's own line, so that a pipe sees them in order.
        FileHandle.standardOutput.write(Data((credentials.text + "\n").utf8))
        try await serveApplication(
            config,
            hint: """
                Try: curl -H 'Authorization: Bearer <token>' {base}/api/v1/operations
                then …/api/v1/operations/<id>/corridors?at=2016-10-20T10:00:00%2B03:00 (inside a window of the pause)
                Field form on a phone: {base}/field/#token=\(credentials.deviceToken)
                ODK Collect or KoboCollect server URL: {base}/openrosa/key/\(credentials.deviceToken)
                  (its form list: {base}/openrosa/key/\(credentials.deviceToken)/formList)
                """)
    }
}

extension DatabaseOptions {
    init(database: String?, logLevel: String?) {
        self.init()
        self.database = database
        self.logLevel = logLevel
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring the database's schema up to date, then exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var config = AppConfig(environment: ProcessInfo.processInfo.environment)
        try database.apply(to: &config)
        try await withDatabase(config) { pool, logger in
            let migrator = Migrator(pool: pool)
            let applied = try await migrator.migrate(logger: logger)
            let version = try await migrator.currentVersion()
            print(
                applied.isEmpty
                    ? "\(config.database) is up to date at schema version \(version)."
                    : "\(config.database): applied \(applied.count) migration(s); now at schema version \(version).")
        }
    }
}

/// Opens the configured database, runs `body` with it and closes it, whatever happens.
func withDatabase<R>(_ config: AppConfig, _ body: (DatabasePool, Logger) async throws -> R) async throws -> R {
    var logger = Logger(label: "couloir")
    logger.logLevel = config.logLevel
    let pool = try DatabasePool(config.database, logger: logger)
    do {
        let result = try await body(pool, logger)
        try await pool.shutdown()
        return result
    } catch {
        try? await pool.shutdown()
        throw error
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ingest, submission latency and figures, each against a floor measured in the same run.",
        discussion: """
            Runs servers of this executable on loopback against SQLite files in --directory, \
            and prints each figure with its ratio to its floor and the goal. The issue's \
            figures are at the defaults; --large 10000000 takes about half an hour to load, \
            and a figures database a run finished loading is reused by the next run.
            """)

    @Option(help: "Which benchmarks: ingest, latency, reads, figures, live, comma-separated.")
    var only = "ingest,latency,reads,figures,live"

    @Option(help: "Where to keep the benchmark databases.")
    var directory = "/tmp/couloir-bench"

    @Option(help: "Tallies to ingest.")
    var tallies = 50_000

    @Option(help: "Tallies per batch.")
    var batch = 500

    @Option(help: "Devices sending batches at once in the second ingest run.")
    var devices = 4

    @Option(help: "Single submissions per second.")
    var rate = 500

    @Option(help: "Seconds of single submissions, and of each read and its floor.")
    var seconds = 20

    @Option(help: "Connections reading at once.")
    var connections = 16

    @Option(help: "Tallies in the small figures database.")
    var small = 10_000

    @Option(help: "Tallies in the large figures database.")
    var large = 10_000_000

    @Option(help: "Requests per figures endpoint and database.")
    var requests = 200

    @Option(help: "Dashboards subscribed to live changes at once.")
    var subscribers = 200

    func run() async throws {
        let names = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        guard names.isSubset(of: ["ingest", "latency", "reads", "figures", "live"]), !names.isEmpty else {
            throw ValidationError("--only takes ingest, latency, reads, figures and live")
        }
        guard (1...500).contains(batch) else { throw ValidationError("--batch must lie in 1...500") }
        guard (1...64).contains(devices) else { throw ValidationError("--devices must lie in 1...64") }
        guard rate > 0, seconds > 0, tallies > 0, small > 0, large > 0, requests > 0, (1...256).contains(connections),
            (1...1000).contains(subscribers)
        else {
            throw ValidationError("counts and rates must be positive")
        }
        try await BenchPlan(
            only: names, directory: directory, ingestTallies: tallies, batch: batch, devices: devices, rate: rate,
            seconds: seconds,
            smallTallies: small, largeTallies: large, requests: requests, connections: connections,
            subscribers: subscribers
        ).run()
    }
}

/// The constant route `couloir bench` measures reads against, in a process of its own.
struct ConstantServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "constant-server", abstract: "Serve a constant body of any size, as couloir bench's floor.",
        shouldDisplay: false)

    @Option(help: "The port, or 0 for any free one.")
    var port = 0

    func run() async throws {
        try await ConstantServer.serve(port: port)
    }
}
