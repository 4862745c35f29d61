import CouloirAccess
import CouloirApp
import CouloirCore
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import Testing

/// Runs `body` against the application built as `couloir demo` builds it, on a new
/// SQLite file that is removed afterwards. The client sends an administrator's token
/// with every request that does not carry its own `Authorization`.
func withDemo(_ body: @Sendable (BearerClient) async throws -> Void) async throws {
    try await withDemoServer { client, _ in try await body(client) }
}

/// As `withDemo`, with the repository over the same file, to issue more tokens.
func withDemoServer(_ body: @Sendable (BearerClient, SQLRepository) async throws -> Void) async throws {
    try await withDemoDatabase { client, store, _ in try await body(client, store) }
}

/// As `withDemoServer`, with the database pool too, to break it under the server; the
/// server logs through `serverLogger` when given.
func withDemoDatabase(
    serverLogger: Logger? = nil, logLevel: Logger.Level = .warning,
    _ body: @Sendable (BearerClient, SQLRepository, DatabasePool) async throws -> Void
) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-demo-\(UUID()).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let config = AppConfig(port: 0, database: .sqlite(path: path), logLevel: logLevel)
    let app = try await buildApplication(config: config, logger: serverLogger)
    var logger = Logger(label: "couloir.tests")
    logger.logLevel = .warning
    let pool = try DatabasePool(.sqlite(path: path), logger: logger)
    do {
        let store = SQLRepository(pool: pool, actor: .system("tests"))
        try await DemoLoader.load(DemoScenario.aleppo2016(), into: store, logger: logger)
        // An administrator of the coordination cell that runs the demo's Aleppo operation.
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.coordination).organisation
        let secret = try await store.issue(
            AccessToken(organisationID: organisation.id, label: "the tests", role: .admin, issuedAt: Date()))
        try await app.test(.router) { client in try await body(BearerClient(client, secret: secret), store, pool) }
        try await pool.shutdown()
    } catch {
        try? await pool.shutdown()
        throw error
    }
}

/// A test client that sends `Authorization: Bearer <secret>` unless the request has an
/// `Authorization` of its own.
struct BearerClient: TestClientProtocol {
    let client: any TestClientProtocol
    let secret: String

    init(_ client: any TestClientProtocol, secret: String) {
        self.client = client
        self.secret = secret
    }

    /// The same client with another token.
    func with(secret: String) -> BearerClient { BearerClient(client, secret: secret) }

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> TestResponse
    {
        var headers = headers
        if headers[.authorization] == nil { headers[.authorization] = "Bearer \(secret)" }
        return try await client.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { client.port }
}

extension JSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try decode(type, from: Data(buffer.readableBytesView))
    }
}

struct ProblemDocument: Decodable {
    struct InvalidParam: Decodable {
        let pointer: String
        let reason: String
    }
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let invalidParams: [InvalidParam]?
}

extension TestClientProtocol {
    func json(
        _ uri: String, _ method: HTTPRequest.Method, _ body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { $0 }
    }
}

/// The PostgreSQL server `.ci/run` starts, when there is one.
let postgresURL = ProcessInfo.processInfo.environment["COULOIR_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

/// Runs `body` against a new, migrated, empty PostgreSQL database, dropped afterwards.
func withFreshPostgres(_ body: @Sendable (SQLRepository) async throws -> Void) async throws {
    let base = try #require(postgresURL, "COULOIR_TEST_POSTGRES_URL is not set")
    var logger = Logger(label: "couloir.tests")
    logger.logLevel = .warning
    let name = "couloir_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
    let admin = try DatabasePool(.postgres(url: base), logger: logger)
    try await admin.withConnection { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
    var components = try #require(URLComponents(string: base))
    components.path = "/" + name
    let pool = try DatabasePool(.postgres(url: try #require(components.string)), logger: logger)
    do {
        try await Migrator(pool: pool).migrate(logger: logger)
        try await body(SQLRepository(pool: pool))
        try await pool.shutdown()
    } catch {
        try? await pool.shutdown()
        try? await admin.withConnection {
            try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
        }
        try? await admin.shutdown()
        throw error
    }
    try await admin.withConnection { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
    try await admin.shutdown()
}
