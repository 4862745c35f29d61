import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func listSectors(_ input: Operations.ListSectors.Input) async throws -> Operations.ListSectors.Output {
        let pagination = try Pagination(
            list: "sectors", limit: input.query.limit, cursor: input.query.cursor, signer: cursors)
        let sectors = try await core.sectors(
            in: try pathID(input.path.operationId, "operation"),
            controlledBy: try queryID(input.query.controlledBy, name: "controlledBy"),
            at: input.query.at ?? core.now(), as: principal)
        let page = pagination.page(of: sectors) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Sector.init), nextCursor: page.next))))
    }

    func createSector(_ input: Operations.CreateSector.Input) async throws -> Operations.CreateSector.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let created = try await core.create(try Sector(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(created.version),
                    location: "/api/v1/operations/\(operationID)/sectors/\(created.record.id)"),
                body: .json(.init(created.record))))
    }

    func getSector(_ input: Operations.GetSector.Input) async throws -> Operations.GetSector.Output {
        let stored = try await core.sector(
            try pathID(input.path.sectorId, "sector"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateSector(_ input: Operations.UpdateSector.Input) async throws -> Operations.UpdateSector.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            sector: try pathID(input.path.sectorId, "sector"), in: operationID,
            to: try Sector(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }
}

extension Polygon {
    init(_ input: Components.Schemas.Polygon, at pointer: String) throws {
        self.init(
            rings: try input.coordinates.enumerated().map { r, ring in
                try ring.enumerated().map { i, coordinates in
                    try position(coordinates, at: "\(pointer)/coordinates/\(r)/\(i)")
                }
            })
    }
}

func localDate(_ text: String, at pointer: String) throws -> LocalDate {
    guard let date = LocalDate(text) else {
        throw DomainError.invalid([FieldIssue(pointer, "is not a calendar date YYYY-MM-DD")])
    }
    return date
}

extension Sector {
    init(_ input: Components.Schemas.SectorInput, operationID: EvacuationOperation.ID) throws {
        let population = try input.population.map { estimate in
            PopulationEstimate(
                value: estimate.value, low: estimate.low, high: estimate.high,
                asOf: try localDate(estimate.asOf, at: "/population/asOf"), source: Source(estimate.source))
        }
        self.init(
            operationID: operationID, name: input.name, pcode: input.pcode,
            boundary: try Polygon(input.boundary, at: "/boundary"), population: population,
            control: try (input.control ?? []).enumerated().map { i, period in
                ControlPeriod(
                    partyID: try identifier(period.partyId, at: "/control/\(i)/partyId"), since: period.since,
                    source: Source(period.source))
            })
    }
}

extension Components.Schemas.Sector {
    init(_ sector: Sector) {
        self.init(
            id: sector.id.description, name: sector.name, pcode: sector.pcode,
            boundary: .init(
                _type: .polygon,
                coordinates: sector.boundary.rings.map { $0.map { [$0.longitude, $0.latitude] } }),
            population: sector.population.map {
                .init(
                    value: $0.value, low: $0.low, high: $0.high, asOf: $0.asOf.description,
                    source: .init($0.source))
            },
            control: sector.control.map {
                .init(partyId: $0.partyID.description, since: $0.since, source: .init($0.source))
            })
    }
}
