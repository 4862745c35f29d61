import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        let (operation, access) = try await reach(input.path.operationId)
        let query = input.query
        let pagination = try Pagination(list: "incidents", limit: query.limit, cursor: query.cursor)
        let corridorID: Corridor.ID? = try queryID(query.corridorId, name: "corridorId")
        let sectorID: Sector.ID? = try queryID(query.sectorId, name: "sectorId")
        let kind = query.kind.map { Incident.Kind(rawValue: $0.rawValue)! }
        let verification = query.verification.map { VerificationStatus(rawValue: $0.rawValue)! }
        let incidents = access.visible(try await store.incidents(in: operation.id)).filter { incident in
            within(incident.occurredAt, from: query.from, until: query.until)
                && (corridorID.map { incident.place == .corridor($0) } ?? true)
                && (sectorID.map { incident.place == .sector($0) } ?? true)
                && (kind.map { incident.kind == $0 } ?? true)
                && (verification.map { incident.verification == $0 } ?? true)
        }
        let page = pagination.page(of: incidents) { [SortKey.instant($0.occurredAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Incident.init), nextCursor: page.next))))
    }

    func createIncident(_ input: Operations.CreateIncident.Input) async throws -> Operations.CreateIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (operation, access) = try await reach(input.path.operationId)
        try access.requireCreating(.reportIncident)
        let incident = try Incident(body, operationID: operation.id)
        try access.requireVisible(incident.place)
        try await store.insert(incident)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(1), location: "/api/v1/operations/\(operation.id)/incidents/\(incident.id)"),
                body: .json(.init(incident))))
    }

    func getIncident(_ input: Operations.GetIncident.Input) async throws -> Operations.GetIncident.Output {
        let (stored, _) = try await requireIncident(
            input.path.incidentId, in: input.path.operationId, for: .readReports)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateIncident(_ input: Operations.UpdateIncident.Input) async throws -> Operations.UpdateIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (stored, access) = try await requireIncident(
            input.path.incidentId, in: input.path.operationId, for: .reportIncident)
        guard input.headers.ifMatch != nil else { throw PreconditionError.required }
        var incident = try Incident(body, operationID: stored.record.operationID)
        incident.id = stored.record.id
        incident.verification = stored.record.verification
        incident.verificationHistory = stored.record.verificationHistory
        try incident.validate(in: OperationIndex(permissive: incident))
        try access.requireVisible(incident.place)
        try PreconditionError.check(input.headers.ifMatch, against: stored.version, kind: "incident")
        let updated = try await store.update(incident, from: stored.version)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func verifyIncident(_ input: Operations.VerifyIncident.Input) async throws -> Operations.VerifyIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let (stored, _) = try await requireIncident(
            input.path.incidentId, in: input.path.operationId, for: .verifyReport)
        let changed = try await store.changeVerification(
            ofIncident: stored.record.id, in: stored.record.operationID,
            to: VerificationStatus(rawValue: body.status.rawValue)!, at: body.at ?? now(), reason: body.reason,
            source: Source(body.source))
        return .created(.init(headers: .init(eTag: ETag.of(changed.version)), body: .json(.init(changed.record))))
    }

    /// The incident, if the caller may do `action` to it, with the caller's access to
    /// its operation.
    private func requireIncident(_ id: String, in operationID: String, for action: Action) async throws
        -> (Versioned<Incident>, OperationAccess)
    {
        let (operation, access) = try await reach(operationID)
        guard let incidentID = Incident.ID(id),
            let stored = try await store.versionedIncident(incidentID, in: operation.id)
        else {
            throw StorageError.notFound(kind: "incident", id: id)
        }
        try access.require(
            action, on: RecordKey(.incident, stored.record.id), relation: access.relation(to: stored.record))
        return (stored, access)
    }
}

extension OperationIndex {
    /// An index that knows the record `incident` is placed at, for checking the
    /// incident's own rules before storage checks its references.
    init(permissive incident: Incident) {
        switch incident.place {
        case .corridor(let id): self.init(operationID: incident.operationID, corridors: [id])
        case .sector(let id): self.init(operationID: incident.operationID, sectors: [id])
        case .point: self.init(operationID: incident.operationID)
        }
    }
}

extension Incident {
    init(_ input: Components.Schemas.IncidentInput, operationID: EvacuationOperation.ID) throws {
        let place: Place =
            switch input.place {
            case .PointPlace(let place):
                .point(Point(try position(place.point.coordinates, at: "/place/point/coordinates")))
            case .CorridorPlace(let place): .corridor(try identifier(place.corridorId, at: "/place/corridorId"))
            case .SectorPlace(let place): .sector(try identifier(place.sectorId, at: "/place/sectorId"))
            }
        self.init(
            operationID: operationID, kind: Kind(rawValue: input.kind.rawValue)!, occurredAt: input.occurredAt,
            timePrecision: TimePrecision(rawValue: input.timePrecision.rawValue)!, place: place,
            placePrecision: PlacePrecision(rawValue: input.placePrecision.rawValue)!,
            severity: Severity(rawValue: input.severity.rawValue)!, summary: input.summary, killed: input.killed,
            injured: input.injured, reportedBy: input.reportedBy, source: Source(input.source))
    }
}

extension Components.Schemas.VerificationChange {
    init(_ change: VerificationChange) {
        self.init(
            from: .init(rawValue: change.from.rawValue)!, to: .init(rawValue: change.to.rawValue)!, at: change.at,
            reason: change.reason, source: .init(change.source))
    }
}

extension Components.Schemas.Incident {
    init(_ incident: Incident) {
        let place: Components.Schemas.IncidentPlace =
            switch incident.place {
            case .point(let point):
                .PointPlace(
                    .init(
                        point: .init(
                            _type: .point, coordinates: [point.position.longitude, point.position.latitude])))
            case .corridor(let id): .CorridorPlace(.init(corridorId: id.description))
            case .sector(let id): .SectorPlace(.init(sectorId: id.description))
            }
        self.init(
            id: incident.id.description, kind: .init(rawValue: incident.kind.rawValue)!,
            occurredAt: incident.occurredAt, timePrecision: .init(rawValue: incident.timePrecision.rawValue)!,
            place: place, placePrecision: .init(rawValue: incident.placePrecision.rawValue)!,
            severity: .init(rawValue: incident.severity.rawValue)!, summary: incident.summary,
            killed: incident.killed, injured: incident.injured, reportedBy: incident.reportedBy,
            source: .init(incident.source), verification: .init(rawValue: incident.verification.rawValue)!,
            verificationHistory: incident.verificationHistory.map(Components.Schemas.VerificationChange.init))
    }
}
