public import CouloirDomain
public import CouloirStorage
public import Foundation
import SQLKit

extension SQLRepository: ReportRepository {
    public func insert(_ incident: Incident) async throws {
        try await audited(creating: incident, "incident", operation: incident.operationID) {
            database in
            try incident.validate(in: try await index(of: incident.operationID, on: database))
            var values = try Self.describingColumns(of: incident)
            values["id"] = incident.id.description
            values["operation_id"] = incident.operationID.description
            values["verification"] = incident.verification.rawValue
            guard try await insertOnce(into: "incidents", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "incident", key: incident.id.description)
            }
            try await insertVerificationChanges(
                incident.verificationHistory, of: .incident, id: incident.id.description, from: 0, on: database)
        }
    }

    public func incidents(in operationID: EvacuationOperation.ID) async throws -> [Incident] {
        try await pool.withConnection { database in
            try await incidents(
                where: SQLBinaryExpression(SQLColumn("operation_id"), .equal, SQLBind(operationID.description)),
                on: database
            ).map(\.record)
        }
    }

    public func versionedIncident(_ id: Incident.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Incident>?
    {
        try await pool.withConnection { database in
            try await incidents(where: Self.matching(id.description, in: operationID), on: database).first
        }
    }

    public func update(_ incident: Incident, from version: Int) async throws -> Versioned<Incident> {
        try await audited("update", "incident", operation: incident.operationID) {
            database in
            try incident.validate(in: try await index(of: incident.operationID, on: database))
            let next = try await updateGuarded(
                "incidents", kind: "incident", id: incident.id.description,
                operationID: incident.operationID.description, from: version,
                set: try Self.describingColumns(of: incident), on: database)
            guard
                let updated = try await incidents(
                    where: Self.matching(incident.id.description, in: incident.operationID), on: database
                ).first
            else {
                throw StorageError.notFound(kind: "incident", id: incident.id.description)
            }
            return Versioned(updated.record, version: next)
        }
    }

    public func changeVerification(
        ofIncident id: Incident.ID, in operationID: EvacuationOperation.ID, to status: VerificationStatus,
        at instant: Date, reason: String, source: Source
    ) async throws -> Versioned<Incident> {
        try await audited("verify", "incident", operation: operationID) { database in
            guard
                var incident = try await incidents(
                    where: Self.matching(id.description, in: operationID), on: database
                ).first?.record
            else {
                throw StorageError.notFound(kind: "incident", id: id.description)
            }
            return try await changeVerification(
                of: &incident, kind: .incident, id: id.description, to: status, at: instant, reason: reason,
                source: source, on: database)
        }
    }

    private static func describingColumns(of incident: Incident) throws -> [String: any Encodable & Sendable] {
        [
            "kind": incident.kind.rawValue, "occurred_at": Columns.millis(incident.occurredAt),
            "time_precision": incident.timePrecision.rawValue, "place": try Columns.json(incident.place),
            "place_precision": incident.placePrecision.rawValue, "severity": incident.severity.rawValue,
            "summary": incident.summary, "killed": incident.killed, "injured": incident.injured,
            "reported_by": incident.reportedBy, "source": try Columns.json(incident.source),
        ]
    }

    private func incidents(where condition: any SQLExpression, on database: any SQLDatabase) async throws
        -> [Versioned<Incident>]
    {
        let rows = try await database.select().column("*").from("incidents").where(condition)
            .orderBy("occurred_at").orderBy("id").all()
        let history = try await verificationChanges(
            of: .incident, ids: try rows.map { try $0.string("id") }, on: database)
        return try rows.map { row in
            let incident = Incident(
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
                verification: try row.enumeration("verification", as: VerificationStatus.self),
                verificationHistory: history[try row.string("id")] ?? [])
            return Versioned(incident, version: try row.int("version"))
        }
    }

    public func insert(_ claim: Claim) async throws {
        try await audited(creating: claim, "claim", operation: claim.operationID) { database in
            try claim.validate(in: try await index(of: claim.operationID, on: database))
            var values = try Self.describingColumns(of: claim)
            values["id"] = claim.id.description
            values["operation_id"] = claim.operationID.description
            values["verification"] = claim.verification.rawValue
            guard try await insertOnce(into: "claims", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "claim", key: claim.id.description)
            }
            try await insertVerificationChanges(
                claim.verificationHistory, of: .claim, id: claim.id.description, from: 0, on: database)
        }
    }

    public func claims(in operationID: EvacuationOperation.ID) async throws -> [Claim] {
        try await pool.withConnection { database in
            try await claims(
                where: SQLBinaryExpression(SQLColumn("operation_id"), .equal, SQLBind(operationID.description)),
                on: database
            ).map(\.record)
        }
    }

    public func versionedClaim(_ id: Claim.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Claim>?
    {
        try await pool.withConnection { database in
            try await claims(where: Self.matching(id.description, in: operationID), on: database).first
        }
    }

    public func update(_ claim: Claim, from version: Int) async throws -> Versioned<Claim> {
        try await audited("update", "claim", operation: claim.operationID) { database in
            try claim.validate(in: try await index(of: claim.operationID, on: database))
            let next = try await updateGuarded(
                "claims", kind: "claim", id: claim.id.description, operationID: claim.operationID.description,
                from: version, set: try Self.describingColumns(of: claim), on: database)
            guard
                let updated = try await claims(
                    where: Self.matching(claim.id.description, in: claim.operationID), on: database
                ).first
            else {
                throw StorageError.notFound(kind: "claim", id: claim.id.description)
            }
            return Versioned(updated.record, version: next)
        }
    }

    public func changeVerification(
        ofClaim id: Claim.ID, in operationID: EvacuationOperation.ID, to status: VerificationStatus,
        at instant: Date, reason: String, source: Source
    ) async throws -> Versioned<Claim> {
        try await audited("verify", "claim", operation: operationID) { database in
            guard
                var claim = try await claims(where: Self.matching(id.description, in: operationID), on: database)
                    .first?.record
            else {
                throw StorageError.notFound(kind: "claim", id: id.description)
            }
            return try await changeVerification(
                of: &claim, kind: .claim, id: id.description, to: status, at: instant, reason: reason,
                source: source, on: database)
        }
    }

    private static func describingColumns(of claim: Claim) throws -> [String: any Encodable & Sendable] {
        [
            "kind": claim.kind.rawValue, "value": claim.value, "statement": claim.statement,
            "translation": claim.translation, "made_at": Columns.millis(claim.madeAt),
            "party_id": claim.partyID?.description, "source": try Columns.json(claim.source),
        ]
    }

    private func claims(where condition: any SQLExpression, on database: any SQLDatabase) async throws
        -> [Versioned<Claim>]
    {
        let rows = try await database.select().column("*").from("claims").where(condition)
            .orderBy("made_at").orderBy("id").all()
        let history = try await verificationChanges(of: .claim, ids: try rows.map { try $0.string("id") }, on: database)
        return try rows.map { row in
            let claim = Claim(
                id: try row.id("id"), operationID: try row.id("operation_id"),
                kind: try row.enumeration("kind", as: Claim.Kind.self),
                value: try row.decode(column: "value", as: Double?.self),
                statement: try row.string("statement"),
                translation: try row.optionalString("translation"), madeAt: try row.date("made_at"),
                partyID: try row.optionalID("party_id"), source: try row.json("source", as: Source.self),
                verification: try row.enumeration("verification", as: VerificationStatus.self),
                verificationHistory: history[try row.string("id")] ?? [])
            return Versioned(claim, version: try row.int("version"))
        }
    }
}

/// The kinds of record whose verification changes are kept, as `record_kind` names them.
enum VerifiableKind: String {
    case incident
    case claim

    var table: String { self == .incident ? "incidents" : "claims" }
}

extension SQLRepository {
    /// Applies a verification change to `record`, stores it beside the record's new status
    /// and raised version, and returns the record as it now stands.
    fileprivate func changeVerification<Record: Verifiable & Sendable>(
        of record: inout Record, kind: VerifiableKind, id: String, to status: VerificationStatus, at instant: Date,
        reason: String, source: Source, on database: any SQLDatabase
    ) async throws -> Versioned<Record> {
        let seq = record.verificationHistory.count
        try record.changeVerification(to: status, at: Columns.stored(instant), reason: reason, source: source)
        try await insertVerificationChanges(
            Array(record.verificationHistory[seq...]), of: kind, id: id, from: seq, on: database)
        let row = try await database.update(kind.table)
            .set("verification", to: status.rawValue)
            .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, id)
            .returning("version").first()
        guard let row else { throw StorageError.notFound(kind: kind.rawValue, id: id) }
        return Versioned(record, version: try row.int("version"))
    }

    fileprivate func insertVerificationChanges(
        _ changes: [VerificationChange], of kind: VerifiableKind, id: String, from firstSeq: Int,
        on database: any SQLDatabase
    ) async throws {
        for (offset, change) in changes.enumerated() {
            try await database.insert(into: "verification_changes")
                .columns("record_kind", "record_id", "seq", "from_status", "to_status", "at", "reason", "source")
                .values(
                    SQLBind(kind.rawValue), SQLBind(id), SQLBind(firstSeq + offset), SQLBind(change.from.rawValue),
                    SQLBind(change.to.rawValue), SQLBind(Columns.millis(change.at)), SQLBind(change.reason),
                    SQLBind(try Columns.json(change.source))
                )
                .run()
        }
    }

    fileprivate func verificationChanges(of kind: VerifiableKind, ids: [String], on database: any SQLDatabase)
        async throws -> [String: [VerificationChange]]
    {
        guard !ids.isEmpty else { return [:] }
        var changes: [String: [VerificationChange]] = [:]
        for row in try await database.select().column("*").from("verification_changes")
            .where("record_kind", .equal, kind.rawValue).where("record_id", .in, ids)
            .orderBy("record_id").orderBy("seq").all()
        {
            let change = VerificationChange(
                from: try row.enumeration("from_status", as: VerificationStatus.self),
                to: try row.enumeration("to_status", as: VerificationStatus.self), at: try row.date("at"),
                reason: try row.string("reason"), source: try row.json("source", as: Source.self))
            changes[try row.string("record_id"), default: []].append(change)
        }
        return changes
    }
}
