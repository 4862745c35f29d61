public import CouloirDomain
import Foundation
import SQLKit

extension SQLRepository: TallyRepository {
    public func submit(_ tally: Tally) async throws -> TallySubmission {
        let tally = Self.stored(tally)
        return try await pool.transaction { database in
            try tally.validate(in: try await index(of: tally.operationID, on: database))
            return try await insertOnce(tally, on: database)
        }
    }

    public func submit(batch tallies: [Tally]) async throws -> [Result<TallySubmission, DomainError>] {
        guard let operationID = tallies.first?.operationID else { return [] }
        return try await pool.transaction { database in
            let index = try await index(of: operationID, on: database)
            var results: [Result<TallySubmission, DomainError>] = []
            for tally in tallies.map(Self.stored) {
                do throws(DomainError) {
                    try tally.validate(in: index)
                } catch {
                    results.append(.failure(error))
                    continue
                }
                results.append(.success(try await insertOnce(tally, on: database)))
            }
            return results
        }
    }

    /// Inserts a valid tally unless its id is stored, inside the caller's transaction.
    private func insertOnce(_ tally: Tally, on database: any SQLDatabase) async throws -> TallySubmission {
        // The UNIQUE (operation_id, id) constraint decides, not a prior read: of two
        // identical submissions racing, exactly one inserts.
        let inserted = try await database.insert(into: "tallies")
            .columns(
                "operation_id", "id", "checkpoint_id", "starts_at", "ends_at", "direction", "cars", "buses",
                "ambulances", "supersedes", "source", "received_at"
            )
            .values(
                SQLBind(tally.operationID.description), SQLBind(tally.id.description),
                SQLBind(tally.checkpointID.description), SQLBind(Columns.millis(tally.interval.start)),
                SQLBind(Columns.millis(tally.interval.end)), SQLBind(tally.direction.rawValue),
                SQLBind(tally.vehicles.cars), SQLBind(tally.vehicles.buses), SQLBind(tally.vehicles.ambulances),
                SQLBind(tally.supersedes?.description), SQLBind(try Columns.json(tally.source)),
                SQLBind(Columns.millis(now()))
            )
            .ignoringConflicts(with: ["operation_id", "id"])
            .returning("seq")
            .first()
        guard let seq = try inserted?.decode(column: "seq", as: Int64.self) else {
            guard
                let stored = try await tallies(
                    where: "t.id", equals: tally.id.description, in: tally.operationID, on: database
                ).first
            else {
                throw StorageError.corrupt("tally \(tally.id) conflicted but cannot be read")
            }
            return stored == tally ? .replayed(stored) : .conflict(stored: stored)
        }
        for count in tally.counts {
            let breakdown = count.breakdown
            try await database.insert(into: "tally_counts")
                .columns(
                    "tally_seq", "grp", "people", "female_children", "female_adults", "female_elderly",
                    "male_children", "male_adults", "male_elderly", "unaccompanied_children"
                )
                .values(
                    SQLBind(seq), SQLBind(count.group.rawValue), SQLBind(count.people),
                    SQLBind(breakdown?.female.children), SQLBind(breakdown?.female.adults),
                    SQLBind(breakdown?.female.elderly), SQLBind(breakdown?.male.children),
                    SQLBind(breakdown?.male.adults), SQLBind(breakdown?.male.elderly),
                    SQLBind(count.unaccompaniedChildren)
                )
                .run()
        }
        return .created(tally)
    }

    public func tallies(in operationID: EvacuationOperation.ID) async throws -> [Tally] {
        try await pool.withConnection { database in
            try await tallies(where: "t.operation_id", equals: operationID.description, in: operationID, on: database)
        }
    }

    public func tallies(
        in operationID: EvacuationOperation.ID, matching filter: TallyFilter, after seq: Int64?, limit: Int
    ) async throws -> [ListedTally] {
        try await pool.withConnection { database in
            var query = database.select().column("seq").from("tallies")
                .where("operation_id", .equal, operationID.description)
            if let seq { query = query.where("seq", .greaterThan, seq) }
            if let checkpointID = filter.checkpointID {
                query = query.where("checkpoint_id", .equal, checkpointID.description)
            }
            if let corridorID = filter.corridorID {
                let checkpoints = try await database.select().column("id").from("checkpoints")
                    .where("operation_id", .equal, operationID.description)
                    .where("corridor_id", .equal, corridorID.description).all()
                    .map { try $0.string("id") }
                guard !checkpoints.isEmpty else { return [] }
                query = query.where("checkpoint_id", .in, checkpoints)
            }
            if let from = filter.from { query = query.where("starts_at", .greaterThanOrEqual, Columns.millis(from)) }
            if let until = filter.until { query = query.where("starts_at", .lessThan, Columns.millis(until)) }
            let seqs = try await query.orderBy("seq").limit(limit).all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
            guard !seqs.isEmpty else { return [] }
            let listed = try await tallies(
                matching: "t.seq IN (\(binds: seqs))", in: operationID, on: database)
            var corrections: [String: Tally.ID] = [:]
            for row in try await database.select().column("id").column("supersedes").from("tallies")
                .where("operation_id", .equal, operationID.description)
                .where("supersedes", .in, listed.map(\.tally.id.description))
                .orderBy("seq").all()
            {
                corrections[try row.string("supersedes")] = try row.id("id")
            }
            return listed.map { entry in
                var entry = entry
                entry.supersededBy = corrections[entry.tally.id.description]
                return entry
            }
        }
    }

    private func tallies(
        where column: String, equals value: String, in operationID: EvacuationOperation.ID, on database: any SQLDatabase
    ) async throws -> [Tally] {
        try await tallies(matching: "\(unsafeRaw: column) = \(bind: value)", in: operationID, on: database)
            .map(\.tally)
    }

    /// The operation's tallies whose rows match `condition`, in the order they were stored.
    private func tallies(
        matching condition: SQLQueryString, in operationID: EvacuationOperation.ID, on database: any SQLDatabase
    ) async throws -> [ListedTally] {
        let rows = try await database.raw(
            """
            SELECT t.seq, t.id, t.operation_id, t.checkpoint_id, t.starts_at, t.ends_at, t.direction, t.cars,
                   t.buses, t.ambulances, t.supersedes, t.source, c.grp, c.people, c.female_children,
                   c.female_adults, c.female_elderly, c.male_children, c.male_adults, c.male_elderly,
                   c.unaccompanied_children
            FROM tallies t JOIN tally_counts c ON c.tally_seq = t.seq
            WHERE t.operation_id = \(bind: operationID.description) AND \(condition)
            ORDER BY t.seq, c.grp
            """
        ).all()
        var tallies: [ListedTally] = []
        for row in rows {
            let seq = try row.decode(column: "seq", as: Int64.self)
            if seq != tallies.last?.seq {
                let tally = Tally(
                    id: try row.id("id"), operationID: try row.id("operation_id"),
                    checkpointID: try row.id("checkpoint_id"),
                    interval: Interval(start: try row.date("starts_at"), end: try row.date("ends_at")),
                    direction: try row.enumeration("direction", as: Direction.self), counts: [],
                    vehicles: Vehicles(
                        cars: try row.int("cars"), buses: try row.int("buses"), ambulances: try row.int("ambulances")),
                    supersedes: try row.optionalID("supersedes"), source: try row.json("source", as: Source.self))
                tallies.append(ListedTally(tally: tally, seq: seq, supersededBy: nil))
            }
            tallies[tallies.count - 1].tally.counts.append(try Self.groupCount(from: row))
        }
        return tallies.map { entry in
            var sorted = entry
            sorted.tally.counts.sort { $0.group < $1.group }
            return sorted
        }
    }

    private static func groupCount(from row: any SQLRow) throws -> GroupCount {
        var breakdown: SexAgeBreakdown?
        if let femaleChildren = try row.optionalInt("female_children") {
            breakdown = SexAgeBreakdown(
                female: AgeBands(
                    children: femaleChildren, adults: try row.int("female_adults"),
                    elderly: try row.int("female_elderly")),
                male: AgeBands(
                    children: try row.int("male_children"), adults: try row.int("male_adults"),
                    elderly: try row.int("male_elderly")))
        }
        return GroupCount(
            group: try row.enumeration("grp", as: Group.self), people: try row.int("people"), breakdown: breakdown,
            unaccompaniedChildren: try row.optionalInt("unaccompanied_children"))
    }

    /// The tally as it reads back: instants to the millisecond, groups in their order.
    static func stored(_ tally: Tally) -> Tally {
        var stored = tally
        stored.interval = Interval(start: Columns.stored(tally.interval.start), end: Columns.stored(tally.interval.end))
        stored.counts.sort { $0.group < $1.group }
        return stored
    }
}
