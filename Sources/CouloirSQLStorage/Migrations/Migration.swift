import CouloirStorage
import SQLKit

/// One numbered step of the schema. Once landed, a migration is never edited: a change
/// is a new migration.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The statements, in order, for each SQL dialect.
    let statements: @Sendable (SQLDialectKind) -> [String]
    /// Fills in what the statements cannot compute, after them, in the same transaction.
    let data: (@Sendable (any SQLDatabase) async throws -> Void)?

    init(
        version: Int, name: String, data: (@Sendable (any SQLDatabase) async throws -> Void)? = nil,
        statements: @escaping @Sendable (SQLDialectKind) -> [String]
    ) {
        self.version = version
        self.name = name
        self.statements = statements
        self.data = data
    }
}

/// The two SQL dialects Couloir writes.
public enum SQLDialectKind: Sendable {
    case sqlite
    case postgres

    /// A 64-bit key that the database numbers itself.
    var serialKey: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY"
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }
}

extension Migration {
    /// Every migration Couloir knows, in order.
    public static let all: [Migration] = [
        .initialSchema, .checkpointVersionsAndVerification, .tallyCorrections, .flowRollups, .auditLog, .identities,
        .recordOwners, .sessions, .operationMembers, .auditRecordIndex, .protectionRollups,
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
