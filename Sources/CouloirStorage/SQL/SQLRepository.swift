public import CouloirDomain
public import Foundation
import SQLKit

/// The repositories on SQLKit: one implementation for SQLite and PostgreSQL.
///
/// Every write validates the record against the operation it belongs to, read in the
/// same transaction, so a reference to another operation's record is refused even when
/// requests race.
public struct SQLRepository: Sendable {
    let pool: DatabasePool
    /// The clock that stamps when a record was received.
    let now: @Sendable () -> Date

    public init(pool: DatabasePool, now: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.now = now
    }

    /// The ids the operation holds, read on `database` (inside the caller's transaction).
    func index(of operationID: EvacuationOperation.ID, on database: any SQLDatabase) async throws -> OperationIndex {
        let operation = try await database.select().column("id").from("operations")
            .where("id", .equal, operationID.description).first()
        guard operation != nil else { throw StorageError.notFound(kind: "operation", id: operationID.description) }
        let id = operationID.description
        let rows = try await database.raw(
            """
            SELECT 'party' AS kind, id FROM parties WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'sector', id FROM sectors WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'corridor', id FROM corridors WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'checkpoint', id FROM checkpoints WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'pause', id FROM pauses WHERE operation_id = \(bind: id)
            """
        ).all()
        var index = OperationIndex(operationID: operationID)
        for row in rows {
            let text = try row.string("id")
            switch try row.string("kind") {
            case "party": Party.ID(text).map { _ = index.parties.insert($0) }
            case "sector": Sector.ID(text).map { _ = index.sectors.insert($0) }
            case "corridor": Corridor.ID(text).map { _ = index.corridors.insert($0) }
            case "checkpoint": Checkpoint.ID(text).map { _ = index.checkpoints.insert($0) }
            default: Pause.ID(text).map { _ = index.pauses.insert($0) }
            }
        }
        return index
    }

    /// Inserts one row unless its key exists, and says whether it did.
    func insertOnce(
        into table: String, key: [String], values: [String: any Encodable & Sendable], on database: any SQLDatabase
    ) async throws -> Bool {
        let columns = values.keys.sorted()
        let inserted = try await database.insert(into: table)
            .columns(columns)
            .values(columns.map { SQLBind(values[$0]!) })
            .ignoringConflicts(with: key)
            .returning(SQLColumn(key[0]))
            .all()
        return !inserted.isEmpty
    }
}

extension SQLRepository: OperationRepository {
    public func insert(_ operation: EvacuationOperation) async throws {
        try operation.validate()
        let values: [String: any Encodable & Sendable] = [
            "id": operation.id.description,
            "name": operation.name,
            "area": operation.area,
            "time_zone": operation.timeZoneIdentifier,
            "languages": try Columns.json(operation.languages),
        ]
        try await pool.transaction { database in
            guard try await insertOnce(into: "operations", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "operation", key: operation.id.description)
            }
        }
    }

    public func operations() async throws -> [EvacuationOperation] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("operations").orderBy("name").orderBy("id").all()
                .map(Self.operation(from:))
        }
    }

    public func operation(_ id: EvacuationOperation.ID) async throws -> EvacuationOperation? {
        try await pool.withConnection { database in
            try await database.select().column("*").from("operations").where("id", .equal, id.description).first()
                .map(Self.operation(from:))
        }
    }

    static func operation(from row: any SQLRow) throws -> EvacuationOperation {
        EvacuationOperation(
            id: try row.id("id"), name: try row.string("name"), area: try row.string("area"),
            timeZoneIdentifier: try row.string("time_zone"), languages: try row.json("languages", as: [String].self))
    }
}

extension SQLRepository: PartyRepository {
    public func insert(_ party: Party) async throws {
        try party.validate()
        try await pool.transaction { database in
            _ = try await index(of: party.operationID, on: database)
            let values: [String: any Encodable & Sendable] = [
                "id": party.id.description, "operation_id": party.operationID.description,
                "name": party.name, "kind": party.kind.rawValue,
            ]
            guard try await insertOnce(into: "parties", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "party", key: party.id.description)
            }
        }
    }

    public func parties(in operationID: EvacuationOperation.ID) async throws -> [Party] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("parties")
                .where("operation_id", .equal, operationID.description).orderBy("name").orderBy("id").all()
                .map { row in
                    Party(
                        id: try row.id("id"), operationID: try row.id("operation_id"), name: try row.string("name"),
                        kind: try row.enumeration("kind", as: PartyKind.self))
                }
        }
    }
}
