import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listSectors(_ input: Operations.ListSectors.Input) async throws -> Operations.ListSectors.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let pagination = try Pagination(list: "sectors", limit: input.query.limit, cursor: input.query.cursor)
        let controller: Party.ID? = try queryID(input.query.controlledBy, name: "controlledBy")
        let instant = input.query.at ?? now()
        let sectors = access.visible(try await store.sectors(in: operation.id), .sector).filter {
            controller == nil || $0.controller(at: instant) == controller
        }
        let page = pagination.page(of: sectors) { [$0.name, $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Sector.init), nextCursor: page.next))))
    }

    func createSector(_ input: Operations.CreateSector.Input) async throws -> Operations.CreateSector.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.editPlan)
        let sector = try Sector(body, operationID: operation.id)
        try await store.insert(sector)
        return .created(
            .init(
                headers: .init(eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/sectors/\(sector.id)"),
                body: .json(.init(sector))))
    }

    func getSector(_ input: Operations.GetSector.Input) async throws -> Operations.GetSector.Output {
        let stored = try await requireSector(input.path.sectorId, in: input.path.operationId, for: .readPlan)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateSector(_ input: Operations.UpdateSector.Input) async throws -> Operations.UpdateSector.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let stored = try await requireSector(input.path.sectorId, in: input.path.operationId, for: .editPlan)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        var sector = try Sector(body, operationID: stored.record.operationID)
        sector.id = stored.record.id
        try sector.validate(in: OperationIndex(permissive: sector))
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "sector")
        let updated = try await store.update(sector, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    private func requireSector(_ id: String, in operationID: String, for action: Action) async throws
        -> Versioned<Sector>
    {
        let (operation, access) = try await reach(operationID)
        guard let sectorID = Sector.ID(id), let stored = try await store.versionedSector(sectorID, in: operation.id)
        else {
            throw StorageError.notFound(kind: "sector", id: id)
        }
        try access.require(action, on: RecordKey(.sector, sectorID))
        return stored
    }
}

extension OperationIndex {
    /// An index that knows every party `sector` names, for checking the sector's own
    /// rules before storage checks its references.
    init(permissive sector: Sector) {
        self.init(operationID: sector.operationID, parties: Set(sector.control.map(\.partyID)))
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
