public import CouloirDomain
public import CouloirStorage
import SQLKit

extension SQLRepository: SectorRepository {
    public func insert(_ sector: Sector) async throws {
        try await audited(creating: sector, "sector", operation: sector.operationID) {
            database in
            try sector.validate(in: try await index(of: sector.operationID, on: database))
            var values = try Self.describingColumns(of: sector)
            values["id"] = sector.id.description
            values["operation_id"] = sector.operationID.description
            guard try await insertOnce(into: "sectors", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "sector", key: sector.id.description)
            }
            try await insertControl(of: sector, on: database)
        }
    }

    func loadSectors(in operationID: EvacuationOperation.ID) async throws -> [Sector] {
        try await pool.withConnection { database in
            try await sectors(
                where: SQLBinaryExpression(SQLColumn("operation_id"), .equal, SQLBind(operationID.description)),
                on: database
            ).map(\.record)
        }
    }

    public func versionedSector(_ id: Sector.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Sector>?
    {
        try await pool.withConnection { database in
            try await sectors(where: Self.matching(id.description, in: operationID), on: database).first
        }
    }

    public func update(_ sector: Sector, from version: Int) async throws -> Versioned<Sector> {
        try await audited("update", "sector", operation: sector.operationID) {
            database in
            try sector.validate(in: try await index(of: sector.operationID, on: database))
            let next = try await updateGuarded(
                "sectors", kind: "sector", id: sector.id.description, operationID: sector.operationID.description,
                from: version, set: try Self.describingColumns(of: sector), on: database)
            try await database.delete(from: "sector_control").where("sector_id", .equal, sector.id.description).run()
            try await insertControl(of: sector, on: database)
            return Versioned(Self.stored(sector), version: next)
        }
    }

    private static func describingColumns(of sector: Sector) throws -> [String: any Encodable & Sendable] {
        [
            "name": sector.name, "pcode": sector.pcode, "boundary": try Columns.json(sector.boundary),
            "population": try sector.population.map(Columns.json),
        ]
    }

    private func insertControl(of sector: Sector, on database: any SQLDatabase) async throws {
        for period in sector.control {
            try await database.insert(into: "sector_control")
                .columns("sector_id", "since", "party_id", "source")
                .values(
                    SQLBind(sector.id.description), SQLBind(Columns.millis(period.since)),
                    SQLBind(period.partyID.description), SQLBind(try Columns.json(period.source))
                )
                .run()
        }
    }

    private func sectors(where condition: any SQLExpression, on database: any SQLDatabase) async throws
        -> [Versioned<Sector>]
    {
        let rows = try await database.select().column("*").from("sectors").where(condition)
            .orderBy("name").orderBy("id").all()
        guard !rows.isEmpty else { return [] }
        var periods: [String: [ControlPeriod]] = [:]
        for row in try await database.select().column("*").from("sector_control")
            .where("sector_id", .in, try rows.map { try $0.string("id") }).orderBy("sector_id").orderBy("since").all()
        {
            let period = ControlPeriod(
                partyID: try row.id("party_id"), since: try row.date("since"),
                source: try row.json("source", as: Source.self))
            periods[try row.string("sector_id"), default: []].append(period)
        }
        return try rows.map { row in
            let sector = Sector(
                id: try row.id("id"), operationID: try row.id("operation_id"), name: try row.string("name"),
                pcode: try row.optionalString("pcode"), boundary: try row.json("boundary", as: Polygon.self),
                population: try row.optionalString("population").map {
                    try Columns.decode(PopulationEstimate.self, json: $0)
                },
                control: periods[try row.string("id")] ?? [])
            return Versioned(sector, version: try row.int("version"))
        }
    }

    /// `sector` as it reads back: instants to the millisecond.
    static func stored(_ sector: Sector) -> Sector {
        var stored = sector
        stored.control = sector.control.map {
            ControlPeriod(partyID: $0.partyID, since: Columns.stored($0.since), source: $0.source)
        }
        return stored
    }
}

extension SQLRepository {
    /// The row `id` of the operation, as a condition; `table` qualifies the columns.
    static func matching(_ id: String, in operationID: EvacuationOperation.ID, table: String? = nil)
        -> any SQLExpression
    {
        func column(_ name: String) -> SQLColumn {
            if let table { SQLColumn(name, table: table) } else { SQLColumn(name) }
        }
        let sameID = SQLBinaryExpression(column("id"), .equal, SQLBind(id))
        let sameOperation = SQLBinaryExpression(column("operation_id"), .equal, SQLBind(operationID.description))
        return SQLBinaryExpression(sameID, .and, sameOperation)
    }
}
