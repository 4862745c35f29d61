import CouloirCore
import CouloirDomain
import Foundation

extension APIHandler {
    func listIncidents(_ input: Operations.ListIncidents.Input) async throws -> Operations.ListIncidents.Output {
        let query = input.query
        let pagination = try Pagination(list: "incidents", limit: query.limit, cursor: query.cursor, signer: cursors)
        let incidents = try await core.incidents(
            in: try pathID(input.path.operationId, "operation"),
            matching: ReportFilter(
                from: query.from, until: query.until,
                verification: query.verification.map { VerificationStatus(rawValue: $0.rawValue)! }),
            kind: query.kind.map { Incident.Kind(rawValue: $0.rawValue)! },
            corridorID: try queryID(query.corridorId, name: "corridorId"),
            sectorID: try queryID(query.sectorId, name: "sectorId"), as: principal)
        let page = pagination.page(of: incidents) { [SortKey.instant($0.occurredAt), $0.id.description] }
        return .ok(
            .init(body: .json(.init(items: page.items.map(Components.Schemas.Incident.init), nextCursor: page.next))))
    }

    func createIncident(_ input: Operations.CreateIncident.Input) async throws -> Operations.CreateIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let reported = try await core.report(try Incident(body, operationID: operationID), as: principal)
        return .created(
            .init(
                headers: .init(
                    eTag: ETag.of(reported.version),
                    location: "/api/v1/operations/\(operationID)/incidents/\(reported.record.id)"),
                body: .json(.init(reported.record))))
    }

    func getIncident(_ input: Operations.GetIncident.Input) async throws -> Operations.GetIncident.Output {
        let stored = try await core.incident(
            try pathID(input.path.incidentId, "incident"), in: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(stored.version)), body: .json(.init(stored.record))))
    }

    func updateIncident(_ input: Operations.UpdateIncident.Input) async throws -> Operations.UpdateIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let operationID: EvacuationOperation.ID = try pathID(input.path.operationId, "operation")
        let updated = try await core.update(
            incident: try pathID(input.path.incidentId, "incident"), in: operationID,
            to: try Incident(body, operationID: operationID), expecting: ETag.expected(input.headers.ifMatch),
            as: principal)
        return .ok(.init(headers: .init(eTag: ETag.of(updated.version)), body: .json(.init(updated.record))))
    }

    func verifyIncident(_ input: Operations.VerifyIncident.Input) async throws -> Operations.VerifyIncident.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let changed = try await core.verify(
            incident: try pathID(input.path.incidentId, "incident"),
            in: try pathID(input.path.operationId, "operation"), VerificationStep(body), as: principal)
        return .created(.init(headers: .init(eTag: ETag.of(changed.version)), body: .json(.init(changed.record))))
    }
}

extension VerificationStep {
    init(_ input: Components.Schemas.VerificationChangeInput) {
        self.init(
            to: VerificationStatus(rawValue: input.status.rawValue)!, at: input.at, reason: input.reason,
            source: Source(input.source))
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
