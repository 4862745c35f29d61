public import CouloirDomain
public import CouloirStorage
public import Foundation
import SQLKit

extension SQLRepository: PauseRepository {
    public func insert(_ pause: Pause) async throws {
        try await audited(creating: pause, "pause", operation: pause.operationID) { database in
            try pause.validate(in: try await index(of: pause.operationID, on: database))
            var values = try Self.termColumns(of: pause)
            values["id"] = pause.id.description
            values["operation_id"] = pause.operationID.description
            values["proposed_at"] = Columns.millis(pause.proposedAt)
            guard try await insertOnce(into: "pauses", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "pause", key: pause.id.description)
            }
            for (seq, step) in pause.history.enumerated() {
                try await insertTransition(step, seq: seq, pauseID: pause.id, on: database)
            }
        }
    }

    func loadPauses(in operationID: EvacuationOperation.ID) async throws -> [Pause] {
        try await pool.withConnection { database in
            try await pauses(
                where: SQLBinaryExpression(SQLColumn("operation_id"), .equal, SQLBind(operationID.description)),
                on: database
            ).map(\.record)
        }
    }

    public func pause(_ id: Pause.ID, in operationID: EvacuationOperation.ID) async throws -> Pause? {
        try await versionedPause(id, in: operationID)?.record
    }

    public func versionedPause(_ id: Pause.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Pause>?
    {
        try await pool.withConnection { database in
            try await pause(id, in: operationID, on: database)
        }
    }

    public func update(_ pause: Pause, from version: Int) async throws -> Versioned<Pause> {
        try await audited("update", "pause", operation: pause.operationID) { database in
            guard var stored = try await self.pause(pause.id, in: pause.operationID, on: database)?.record else {
                throw StorageError.notFound(kind: "pause", id: pause.id.description)
            }
            try stored.revise(to: pause)
            try stored.validate(in: try await index(of: pause.operationID, on: database))
            let next = try await updateGuarded(
                "pauses", kind: "pause", id: pause.id.description, operationID: pause.operationID.description,
                from: version, set: try Self.termColumns(of: stored), on: database)
            return Versioned(stored, version: next)
        }
    }

    /// The columns a revision of the terms may change.
    private static func termColumns(of pause: Pause) throws -> [String: any Encodable & Sendable] {
        [
            "name": pause.name, "windows": try Columns.json(pause.windows),
            "sector_ids": try Columns.json(pause.sectorIDs), "corridor_ids": try Columns.json(pause.corridorIDs),
            "conditions": try Columns.json(pause.conditions), "guarantees": try Columns.json(pause.guarantees),
            "source": try Columns.json(pause.source),
        ]
    }

    public func transition(
        _ pauseID: Pause.ID, in operationID: EvacuationOperation.ID,
        to state: PauseState, at instant: Date, actor: String, reason: String, source: Source
    ) async throws -> Versioned<Pause> {
        try await audited("transition", "pause", operation: operationID) { database in
            guard var pause = try await pause(pauseID, in: operationID, on: database)?.record else {
                throw StorageError.notFound(kind: "pause", id: pauseID.description)
            }
            try pause.transition(
                to: state, at: Columns.stored(instant), actor: actor, reason: reason, source: source)
            try await insertTransition(
                pause.history.last!, seq: pause.history.count - 1, pauseID: pauseID, on: database)
            return Versioned(pause, version: try await bumpVersion("pauses", id: pauseID.description, on: database))
        }
    }

    private func pause(_ id: Pause.ID, in operationID: EvacuationOperation.ID, on database: any SQLDatabase)
        async throws -> Versioned<Pause>?
    {
        try await pauses(where: Self.matching(id.description, in: operationID), on: database).first
    }

    private func pauses(where condition: any SQLExpression, on database: any SQLDatabase) async throws
        -> [Versioned<Pause>]
    {
        let rows = try await database.select().column("*").from("pauses").where(condition)
            .orderBy("proposed_at").orderBy("id").all()
        guard !rows.isEmpty else { return [] }
        var history: [String: [PauseTransition]] = [:]
        for row in try await database.select().column("*").from("pause_transitions")
            .where("pause_id", .in, try rows.map { try $0.string("id") }).orderBy("pause_id").orderBy("seq").all()
        {
            let step = PauseTransition(
                from: try row.enumeration("from_state", as: PauseState.self),
                to: try row.enumeration("to_state", as: PauseState.self), at: try row.date("at"),
                actor: try row.string("actor"), reason: try row.string("reason"),
                source: try row.json("source", as: Source.self))
            history[try row.string("pause_id"), default: []].append(step)
        }
        return try rows.map { row in
            let pause = Pause(
                id: try row.id("id"), operationID: try row.id("operation_id"), name: try row.string("name"),
                windows: try row.json("windows", as: [PauseWindow].self),
                sectorIDs: try row.json("sector_ids", as: [Sector.ID].self),
                corridorIDs: try row.json("corridor_ids", as: [Corridor.ID].self),
                conditions: try row.json("conditions", as: [String].self),
                guarantees: try row.json("guarantees", as: [Guarantee].self),
                proposedAt: try row.date("proposed_at"), source: try row.json("source", as: Source.self),
                history: history[try row.string("id")] ?? [])
            return Versioned(pause, version: try row.int("version"))
        }
    }

    private func insertTransition(
        _ step: PauseTransition, seq: Int, pauseID: Pause.ID, on database: any SQLDatabase
    ) async throws {
        try await database.insert(into: "pause_transitions")
            .columns("pause_id", "seq", "from_state", "to_state", "at", "actor", "reason", "source")
            .values(
                SQLBind(pauseID.description), SQLBind(seq), SQLBind(step.from.rawValue), SQLBind(step.to.rawValue),
                SQLBind(Columns.millis(step.at)), SQLBind(step.actor), SQLBind(step.reason),
                SQLBind(try Columns.json(step.source))
            )
            .run()
    }
}
