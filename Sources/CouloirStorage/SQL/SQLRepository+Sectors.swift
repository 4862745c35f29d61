public import CouloirDomain
import SQLKit

extension SQLRepository: SectorRepository {
    public func insert(_ sector: Sector) async throws {
        try await pool.transaction { database in
            try sector.validate(in: try await index(of: sector.operationID, on: database))
            let values: [String: any Encodable & Sendable] = [
                "id": sector.id.description, "operation_id": sector.operationID.description,
                "name": sector.name, "pcode": sector.pcode, "boundary": try Columns.json(sector.boundary),
                "population": try sector.population.map(Columns.json),
            ]
            guard try await insertOnce(into: "sectors", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "sector", key: sector.id.description)
            }
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
    }

    public func sectors(in operationID: EvacuationOperation.ID) async throws -> [Sector] {
        try await pool.withConnection { database in
            let control = try await database.raw(
                """
                SELECT c.sector_id, c.since, c.party_id, c.source FROM sector_control c
                JOIN sectors s ON s.id = c.sector_id
                WHERE s.operation_id = \(bind: operationID.description)
                ORDER BY c.sector_id, c.since
                """
            ).all()
            var periods: [Sector.ID: [ControlPeriod]] = [:]
            for row in control {
                let period = ControlPeriod(
                    partyID: try row.id("party_id"), since: try row.date("since"),
                    source: try row.json("source", as: Source.self))
                periods[try row.id("sector_id"), default: []].append(period)
            }
            return try await database.select().column("*").from("sectors")
                .where("operation_id", .equal, operationID.description).orderBy("name").orderBy("id").all()
                .map { row in
                    let id: Sector.ID = try row.id("id")
                    return Sector(
                        id: id, operationID: try row.id("operation_id"), name: try row.string("name"),
                        pcode: try row.optionalString("pcode"), boundary: try row.json("boundary", as: Polygon.self),
                        population: try row.optionalString("population").map {
                            try Columns.decode(PopulationEstimate.self, json: $0)
                        },
                        control: periods[id] ?? [])
                }
        }
    }
}
