public import CouloirDomain
public import CouloirStorage
import SQLKit

extension SQLRepository: CorridorRepository {
    public func insert(_ corridor: Corridor) async throws {
        try await audited(creating: corridor, "corridor", operation: corridor.operationID) {
            database in
            try corridor.validate(in: try await index(of: corridor.operationID, on: database))
            var values = try Self.describingColumns(of: corridor)
            values["id"] = corridor.id.description
            values["operation_id"] = corridor.operationID.description
            try await requireFreeCode(corridor, on: database)
            guard try await insertOnce(into: "corridors", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "corridor", key: corridor.id.description)
            }
            for (position, checkpoint) in corridor.checkpoints.enumerated() {
                let row: [String: any Encodable & Sendable] = [
                    "id": checkpoint.id.description, "corridor_id": corridor.id.description,
                    "operation_id": corridor.operationID.description, "position": position,
                    "name": checkpoint.name, "location": try Columns.json(checkpoint.location),
                    "monitor_teams": try Columns.json(checkpoint.monitorTeams),
                ]
                guard try await insertOnce(into: "checkpoints", key: ["id"], values: row, on: database) else {
                    throw StorageError.duplicate(kind: "checkpoint", key: checkpoint.id.description)
                }
            }
            for (seq, override) in corridor.overrides.enumerated() {
                try await insertOverride(override, seq: seq, corridorID: corridor.id, on: database)
            }
        }
    }

    func loadCorridors(in operationID: EvacuationOperation.ID) async throws -> [Corridor] {
        try await pool.withConnection { database in
            try await corridors(
                where: SQLBinaryExpression(SQLColumn("operation_id"), .equal, SQLBind(operationID.description)),
                on: database
            ).map(\.record)
        }
    }

    public func corridor(_ id: Corridor.ID, in operationID: EvacuationOperation.ID) async throws -> Corridor? {
        try await versionedCorridor(id, in: operationID)?.record
    }

    public func versionedCorridor(_ id: Corridor.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Corridor>?
    {
        try await pool.withConnection { database in
            try await corridor(id, in: operationID, on: database)
        }
    }

    public func update(_ corridor: Corridor, from version: Int) async throws -> Versioned<Corridor> {
        return try await audited("update", "corridor", operation: corridor.operationID) {
            database in
            guard let stored = try await self.corridor(corridor.id, in: corridor.operationID, on: database) else {
                throw StorageError.notFound(kind: "corridor", id: corridor.id.description)
            }
            // Checkpoints and overrides have their own operations: an update keeps them.
            var updated = corridor
            updated.checkpoints = stored.record.checkpoints
            updated.overrides = stored.record.overrides
            try updated.validate(in: try await index(of: corridor.operationID, on: database))
            let values = try Self.describingColumns(of: updated)
            try await requireFreeCode(updated, on: database)
            let next = try await updateGuarded(
                "corridors", kind: "corridor", id: corridor.id.description,
                operationID: corridor.operationID.description, from: version, set: values, on: database)
            return Versioned(updated, version: next)
        }
    }

    /// The columns an update may change: all but identity, checkpoints and overrides.
    private static func describingColumns(of corridor: Corridor) throws -> [String: any Encodable & Sendable] {
        [
            "code": corridor.code, "name": corridor.name,
            "origin_sector_id": corridor.originSectorID.description,
            "destination_sector_id": corridor.destinationSectorID?.description,
            "destination": corridor.destination,
            "route": try Columns.json(corridor.route),
            "allowed_groups": try Columns.json(corridor.allowedGroups.sorted()),
            "capacity_per_hour": corridor.capacityPerHour,
            "source": try Columns.json(corridor.source),
        ]
    }

    private func requireFreeCode(_ corridor: Corridor, on database: any SQLDatabase) async throws {
        let holder = try await database.select().column("id").from("corridors")
            .where("operation_id", .equal, corridor.operationID.description)
            .where("code", .equal, corridor.code)
            .where("id", .notEqual, corridor.id.description).first()
        if holder != nil {
            throw DomainError.invalid([
                FieldIssue("/code", "corridor code '\(corridor.code)' is taken in this operation")
            ])
        }
    }

    public func addOverride(
        _ override: StatusOverride, to corridorID: Corridor.ID, in operationID: EvacuationOperation.ID
    ) async throws -> Versioned<Corridor> {
        var validator = Validator()
        override.validate(at: "", into: &validator)
        try validator.finish()
        return try await audited("override", "corridor", operation: operationID) {
            database in
            guard let corridor = try await corridor(corridorID, in: operationID, on: database)?.record else {
                throw StorageError.notFound(kind: "corridor", id: corridorID.description)
            }
            try await insertOverride(override, seq: corridor.overrides.count, corridorID: corridorID, on: database)
            let version = try await bumpVersion("corridors", id: corridorID.description, on: database)
            var updated = corridor
            updated.overrides.append(Self.stored(override))
            return Versioned(updated, version: version)
        }
    }

    private func corridor(
        _ id: Corridor.ID, in operationID: EvacuationOperation.ID, on database: any SQLDatabase
    ) async throws -> Versioned<Corridor>? {
        let condition = SQLBinaryExpression(
            SQLBinaryExpression(SQLColumn("id", table: "corridors"), .equal, SQLBind(id.description)),
            .and,
            SQLBinaryExpression(SQLColumn("operation_id", table: "corridors"), .equal, SQLBind(operationID.description))
        )
        return try await corridors(where: condition, on: database).first
    }

    private func corridors(
        where condition: any SQLExpression, on database: any SQLDatabase
    ) async throws -> [Versioned<Corridor>] {
        let rows = try await database.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("corridors")))
            .from("corridors").where(condition).orderBy("code").all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.string("id") }
        var checkpoints: [String: [Checkpoint]] = [:]
        for row in try await database.select().column("*").from("checkpoints")
            .where("corridor_id", .in, ids).orderBy("corridor_id").orderBy("position").all()
        {
            let checkpoint = Checkpoint(
                id: try row.id("id"), name: try row.string("name"), location: try row.json("location", as: Point.self),
                monitorTeams: try row.json("monitor_teams", as: [String].self))
            checkpoints[try row.string("corridor_id"), default: []].append(checkpoint)
        }
        var overrides: [String: [StatusOverride]] = [:]
        for row in try await database.select().column("*").from("corridor_overrides")
            .where("corridor_id", .in, ids).orderBy("corridor_id").orderBy("seq").all()
        {
            let override = StatusOverride(
                state: try row.enumeration("state", as: StatusOverride.State.self), from: try row.date("starts_at"),
                until: try row.optionalDate("ends_at"), reason: try row.string("reason"),
                source: try row.json("source", as: Source.self))
            overrides[try row.string("corridor_id"), default: []].append(override)
        }
        return try rows.map { row in
            let id = try row.string("id")
            let corridor = Corridor(
                id: try row.id("id"), operationID: try row.id("operation_id"), code: try row.string("code"),
                name: try row.string("name"), originSectorID: try row.id("origin_sector_id"),
                destinationSectorID: try row.optionalID("destination_sector_id"),
                destination: try row.optionalString("destination"), route: try row.json("route", as: LineString.self),
                allowedGroups: Set(try row.json("allowed_groups", as: [Group].self)),
                capacityPerHour: try row.optionalInt("capacity_per_hour"), checkpoints: checkpoints[id] ?? [],
                overrides: overrides[id] ?? [], source: try row.json("source", as: Source.self))
            return Versioned(corridor, version: try row.int("version"))
        }
    }

    private func insertOverride(
        _ override: StatusOverride, seq: Int, corridorID: Corridor.ID, on database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "corridor_overrides")
            .columns("corridor_id", "seq", "state", "starts_at", "ends_at", "reason", "source")
            .values(
                SQLBind(corridorID.description), SQLBind(seq), SQLBind(override.state.rawValue),
                SQLBind(Columns.millis(override.from)), SQLBind(override.until.map(Columns.millis)),
                SQLBind(override.reason), SQLBind(try Columns.json(override.source))
            )
            .run()
    }

    static func stored(_ override: StatusOverride) -> StatusOverride {
        var stored = override
        stored.from = Columns.stored(override.from)
        stored.until = override.until.map(Columns.stored)
        return stored
    }
}
