public import CouloirDomain
public import CouloirStorage
import SQLKit

extension SQLRepository {
    func loadCheckpoints(in operationID: EvacuationOperation.ID) async throws -> [Versioned<PlacedCheckpoint>] {
        try await pool.withConnection { database in
            try await checkpoints(
                where: SQLBinaryExpression(
                    SQLColumn("operation_id", table: "checkpoints"), .equal, SQLBind(operationID.description)),
                on: database)
        }
    }

    public func versionedCheckpoint(_ id: Checkpoint.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<PlacedCheckpoint>?
    {
        try await pool.withConnection { database in
            try await checkpoint(id, in: operationID, on: database)
        }
    }

    public func addCheckpoint(
        _ checkpoint: Checkpoint, to corridorID: Corridor.ID, in operationID: EvacuationOperation.ID
    ) async throws -> Versioned<PlacedCheckpoint> {
        try checkpoint.validate()
        return try await audited("create", "checkpoint", operation: operationID) {
            database in
            let corridor = try await database.select().column("id").from("corridors")
                .where(Self.matching(corridorID.description, in: operationID)).first()
            guard corridor != nil else { throw StorageError.notFound(kind: "corridor", id: corridorID.description) }
            // Raising the corridor's version first locks its row, so that two checkpoints
            // added at once take positions one after the other.
            _ = try await bumpVersion("corridors", id: corridorID.description, on: database)
            let last = try await database.select()
                .column(SQLFunction("MAX", args: SQLColumn("position")), as: "last")
                .from("checkpoints").where("corridor_id", .equal, corridorID.description).first()
            let position = (try last?.optionalInt("last")).map { $0 + 1 } ?? 0
            let row: [String: any Encodable & Sendable] = [
                "id": checkpoint.id.description, "corridor_id": corridorID.description,
                "operation_id": operationID.description, "position": position,
                "name": checkpoint.name, "location": try Columns.json(checkpoint.location),
                "monitor_teams": try Columns.json(checkpoint.monitorTeams),
            ]
            guard try await insertOnce(into: "checkpoints", key: ["id"], values: row, on: database) else {
                throw StorageError.duplicate(kind: "checkpoint", key: checkpoint.id.description)
            }
            return Versioned(PlacedCheckpoint(checkpoint, corridorID: corridorID, position: position), version: 1)
        }
    }

    public func update(_ checkpoint: Checkpoint, in operationID: EvacuationOperation.ID, from version: Int)
        async throws -> Versioned<PlacedCheckpoint>
    {
        try checkpoint.validate()
        return try await audited("update", "checkpoint", operation: operationID) {
            database in
            let next = try await updateGuarded(
                "checkpoints", kind: "checkpoint", id: checkpoint.id.description,
                operationID: operationID.description, from: version,
                set: [
                    "name": checkpoint.name, "location": try Columns.json(checkpoint.location),
                    "monitor_teams": try Columns.json(checkpoint.monitorTeams),
                ], on: database)
            guard let placed = try await self.checkpoint(checkpoint.id, in: operationID, on: database) else {
                throw StorageError.notFound(kind: "checkpoint", id: checkpoint.id.description)
            }
            // The corridor shows its checkpoints: its representation changed too.
            _ = try await bumpVersion("corridors", id: placed.record.corridorID.description, on: database)
            return Versioned(placed.record, version: next)
        }
    }

    private func checkpoint(_ id: Checkpoint.ID, in operationID: EvacuationOperation.ID, on database: any SQLDatabase)
        async throws -> Versioned<PlacedCheckpoint>?
    {
        try await checkpoints(where: Self.matching(id.description, in: operationID, table: "checkpoints"), on: database)
            .first
    }

    private func checkpoints(where condition: any SQLExpression, on database: any SQLDatabase) async throws
        -> [Versioned<PlacedCheckpoint>]
    {
        try await database.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("checkpoints")))
            .from("checkpoints")
            .join(
                "corridors", on: SQLColumn("corridor_id", table: "checkpoints"), .equal,
                SQLColumn("id", table: "corridors")
            )
            .where(condition)
            .orderBy(SQLColumn("code", table: "corridors")).orderBy(SQLColumn("position", table: "checkpoints"))
            .all()
            .map { row in
                let checkpoint = Checkpoint(
                    id: try row.id("id"), name: try row.string("name"),
                    location: try row.json("location", as: Point.self),
                    monitorTeams: try row.json("monitor_teams", as: [String].self))
                return Versioned(
                    PlacedCheckpoint(
                        checkpoint, corridorID: try row.id("corridor_id"), position: try row.int("position")),
                    version: try row.int("version"))
            }
    }
}
