public import CouloirDomain
import SQLKit

extension SQLRepository: ReportRepository {
    public func insert(_ incident: Incident) async throws {
        try await pool.transaction { database in
            try incident.validate(in: try await index(of: incident.operationID, on: database))
            let values: [String: any Encodable & Sendable] = [
                "id": incident.id.description, "operation_id": incident.operationID.description,
                "kind": incident.kind.rawValue, "occurred_at": Columns.millis(incident.occurredAt),
                "time_precision": incident.timePrecision.rawValue, "place": try Columns.json(incident.place),
                "place_precision": incident.placePrecision.rawValue, "severity": incident.severity.rawValue,
                "summary": incident.summary, "killed": incident.killed, "injured": incident.injured,
                "reported_by": incident.reportedBy, "source": try Columns.json(incident.source),
                "verification": incident.verification.rawValue,
            ]
            guard try await insertOnce(into: "incidents", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "incident", key: incident.id.description)
            }
        }
    }

    public func incidents(in operationID: EvacuationOperation.ID) async throws -> [Incident] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("incidents")
                .where("operation_id", .equal, operationID.description).orderBy("occurred_at").orderBy("id").all()
                .map { row in
                    Incident(
                        id: try row.id("id"), operationID: try row.id("operation_id"),
                        kind: try row.enumeration("kind", as: Incident.Kind.self),
                        occurredAt: try row.date("occurred_at"),
                        timePrecision: try row.enumeration("time_precision", as: Incident.TimePrecision.self),
                        place: try row.json("place", as: Incident.Place.self),
                        placePrecision: try row.enumeration("place_precision", as: Incident.PlacePrecision.self),
                        severity: try row.enumeration("severity", as: Incident.Severity.self),
                        summary: try row.string("summary"), killed: try row.optionalInt("killed"),
                        injured: try row.optionalInt("injured"), reportedBy: try row.string("reported_by"),
                        source: try row.json("source", as: Source.self),
                        verification: try row.enumeration("verification", as: VerificationStatus.self))
                }
        }
    }

    public func insert(_ claim: Claim) async throws {
        try await pool.transaction { database in
            try claim.validate(in: try await index(of: claim.operationID, on: database))
            let values: [String: any Encodable & Sendable] = [
                "id": claim.id.description, "operation_id": claim.operationID.description, "kind": claim.kind.rawValue,
                "value": claim.value, "statement": claim.statement, "translation": claim.translation,
                "made_at": Columns.millis(claim.madeAt), "party_id": claim.partyID?.description,
                "source": try Columns.json(claim.source), "verification": claim.verification.rawValue,
            ]
            guard try await insertOnce(into: "claims", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "claim", key: claim.id.description)
            }
        }
    }

    public func claims(in operationID: EvacuationOperation.ID) async throws -> [Claim] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("claims")
                .where("operation_id", .equal, operationID.description).orderBy("made_at").orderBy("id").all()
                .map { row in
                    Claim(
                        id: try row.id("id"), operationID: try row.id("operation_id"),
                        kind: try row.enumeration("kind", as: Claim.Kind.self),
                        value: try row.decode(column: "value", as: Double?.self),
                        statement: try row.string("statement"),
                        translation: try row.optionalString("translation"), madeAt: try row.date("made_at"),
                        partyID: try row.optionalID("party_id"), source: try row.json("source", as: Source.self),
                        verification: try row.enumeration("verification", as: VerificationStatus.self))
                }
        }
    }
}
