import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging
import SQLKit
import Testing

/// The storage backends the contract runs on. PostgreSQL runs when
/// `COULOIR_TEST_POSTGRES_URL` names a server whose user may create databases.
enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["COULOIR_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }

    var testDescription: String { rawValue }

    /// Runs `body` against a new, migrated, empty database, and removes it afterwards.
    func withFreshDatabase<R: Sendable>(
        _ body: @Sendable (DatabasePool, SQLRepository) async throws -> R
    ) async throws -> R {
        var logger = Logger(label: "couloir.tests")
        logger.logLevel = .warning
        let location: DatabaseLocation
        var cleanup: @Sendable () async throws -> Void
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-\(UUID()).sqlite").path
            location = .sqlite(path: path)
            cleanup = {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        case .postgres:
            let base = try #require(Self.postgresURL, "COULOIR_TEST_POSTGRES_URL is not set")
            let name =
                "couloir_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
            let admin = try DatabasePool(.postgres(url: base), logger: logger)
            try await admin.withConnection { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            location = .postgres(url: Self.url(base, database: name))
            cleanup = {
                try await admin.withConnection {
                    try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
                }
                try await admin.shutdown()
            }
        }
        let pool = try DatabasePool(location, logger: logger)
        do {
            try await Migrator(pool: pool).migrate(logger: logger)
            // As the server writes tallies: through its queue, running beside the test.
            let (store, queue) = SQLRepository.queued(pool: pool, actor: .system("couloir"), now: { Date() })
            let result = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await queue.run() }
                defer { group.cancelAll() }
                return try await body(pool, store)
            }
            try await pool.shutdown()
            try await cleanup()
            return result
        } catch {
            try? await pool.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// `base` with its database replaced by `database`.
    static func url(_ base: String, database: String) -> String {
        var components = URLComponents(string: base)!
        components.path = "/" + database
        return components.string!
    }
}

/// What the contract holds storage to, through its interface alone: the SQL
/// implementation is only how a backend is opened.
typealias Storage = Repository & IdentityRepository & SessionRepository & AuditRepository
