public import CouloirDomain
public import CouloirStorage
import Foundation
import SQLKit

extension SQLRepository: TallyRepository {
    public func submit(_ tally: Tally) async throws -> TallySubmission {
        let submission = Submission(tally, from: actor)
        if let submissions { return try await submissions.submit(submission).get() }
        guard let outcome = try await write([submission]).first else {
            throw StorageError.corrupt("a submission of one tally had no outcome")
        }
        return try outcome.get()
    }

    public func submit(batch tallies: [Tally]) async throws -> [Result<TallySubmission, DomainError>] {
        let batch = tallies.map { Submission($0, from: actor) }
        if let submissions { return try await submissions.submit(batch: batch) }
        return try await write(batch)
    }

    /// The fewest valid tallies in a transaction whose digests, rollup change and audit
    /// entries are made on another thread; fewer are made on the writer's.
    static let forecastElsewhere = 16

    /// Stores submissions in one transaction, each tally once, and says what became of
    /// each, in order; the audit log names each one's sender.
    func write(_ submissions: [Submission]) async throws -> [Result<TallySubmission, DomainError>] {
        let tallies = submissions.map(\.tally)
        guard let operationID = tallies.first?.operationID else { return [] }
        let receivedAt = now()
        let serialised = pool.isPostgres
        // The digest is of the tally as it reads back.
        let normalised = tallies.map(Self.stored)
        return try await pool.transaction { database in
            if serialised {
                // Whether a tally counts depends on the tallies stored beside it: two
                // transactions each storing half of a correction would each miss the
                // other's half. PostgreSQL runs them one operation at a time; SQLite
                // writes one transaction at a time anyway.
                try await database.raw(
                    "SELECT pg_advisory_xact_lock(hashtext(\(bind: "tallies " + operationID.description)))"
                ).run()
            }
            let index: OperationIndex
            if let known = knownCheckpoints.index(of: operationID, covering: tallies.map(\.checkpointID)) {
                index = known
            } else {
                index = try await self.index(of: operationID, on: database)
                knownCheckpoints.remember(index)
            }
            var results: [Result<TallySubmission, DomainError>?] = Array(repeating: nil, count: tallies.count)
            var valid: [(position: Int, tally: Tally)] = []
            for (position, tally) in normalised.enumerated() {
                do throws(DomainError) {
                    try tally.validate(in: index)
                    valid.append((position, tally))
                } catch {
                    results[position] = .failure(error)
                }
            }
            valid = try await Self.correctionsInPlace(valid, results: &results, in: operationID, on: database)
            // The tallies' digests, and what the rollups and the audit log will take if every
            // valid tally is new (the usual case), made on another thread while this one
            // stores the tallies: the writer's thread is what a batch waits for. A few
            // tallies' are made on this thread, cheaper than waking another.
            let frontier = pool.auditFrontier?.known
            let elsewhere = valid.count >= Self.forecastElsewhere ? globalConcurrentExecutor : nil
            async let forecast = withTaskExecutorPreference(elsewhere) { [valid] in
                let digests = normalised.map(\.auditDigest)
                let changes = valid.map { position, tally in
                    AuditChange(created: tally, digest: digests[position], actor: submissions[position].sender)
                }
                return (
                    digests: digests, flows: FlowChange.Forecast(valid.map(\.tally), receivedAt: receivedAt),
                    audit: frontier.map { AuditLog.Forecast(changes, at: receivedAt, after: $0) }
                )
            }
            // The UNIQUE (operation_id, id) constraint decides, not a prior read: of two
            // identical submissions racing, exactly one inserts.
            let seqs = try await insertRows(of: valid.map(\.tally), receivedAt: receivedAt, on: database)
            var created: [(position: Int, tally: Tally)] = []
            var createdIDs = Set<Tally.ID>()
            var seen: [(position: Int, tally: Tally)] = []
            for (position, tally) in valid {
                // The same id twice in a batch: the first is stored, the second compared with it.
                if seqs[tally.id] != nil, createdIDs.insert(tally.id).inserted {
                    created.append((position, tally))
                    results[position] = .success(.created(tally))
                } else {
                    seen.append((position, tally))
                }
            }
            try await insertCounts(of: created.map(\.tally), seqs: seqs, on: database)
            if !seen.isEmpty {
                let ids = seen.map(\.tally.id.description)
                var stored: [Tally.ID: Tally] = [:]
                for entry in try await Self.tallies(matching: "t.id IN (\(binds: ids))", in: operationID, on: database)
                {
                    stored[entry.tally.id] = entry.tally
                }
                for (position, tally) in seen {
                    guard let original = stored[tally.id] else {
                        throw StorageError.corrupt("tally \(tally.id) conflicted but cannot be read")
                    }
                    results[position] = .success(original == tally ? .replayed(original) : .conflict(stored: original))
                }
            }
            let forecasts = await forecast
            try await updateFlows(
                adding: created.map(\.tally), in: operationID, receivedAt: receivedAt, on: database,
                forecast: forecasts.flows)
            let changes = created.map { position, tally in
                AuditChange(created: tally, digest: forecasts.digests[position], actor: submissions[position].sender)
            }
            try await AuditLog.append(changes, at: receivedAt, in: pool, on: database, forecast: forecasts.audit)
            return results.map { $0! }
        }
    }

    /// The tallies of `valid` less the corrections of a tally counted at another
    /// checkpoint, which are answered as invalid: a correction is counted where its
    /// original was, so that counting at one checkpoint never takes a tally of another
    /// out of the figures.
    private static func correctionsInPlace(
        _ valid: [(position: Int, tally: Tally)], results: inout [Result<TallySubmission, DomainError>?],
        in operationID: EvacuationOperation.ID, on database: any SQLDatabase
    ) async throws -> [(position: Int, tally: Tally)] {
        let targets = Set(valid.compactMap(\.tally.supersedes))
        guard !targets.isEmpty else { return valid }
        var checkpointOf: [Tally.ID: Checkpoint.ID] = [:]
        for chunk in targets.map(\.description).chunks(of: 500) {
            for row in try await database.select().column("id").column("checkpoint_id").from("tallies")
                .where("operation_id", .equal, operationID.description).where("id", .in, Array(chunk)).all()
            {
                checkpointOf[try row.id("id")] = try row.id("checkpoint_id")
            }
        }
        for (_, tally) in valid where checkpointOf[tally.id] == nil { checkpointOf[tally.id] = tally.checkpointID }
        return valid.filter { position, tally in
            guard let target = tally.supersedes, let checkpoint = checkpointOf[target], checkpoint != tally.checkpointID
            else { return true }
            results[position] = .failure(
                .invalid([
                    FieldIssue(
                        "/supersedes",
                        "corrects tally \(target), counted at another checkpoint: a correction is counted where its original was"
                    )
                ]))
            return false
        }
    }

    /// Inserts the tallies whose id is not stored yet, a few hundred rows a statement, and
    /// returns the sequence numbers of those it inserted.
    private func insertRows(
        of tallies: [Tally], receivedAt: Date, on database: any SQLDatabase
    ) async throws -> [Tally.ID: Int64] {
        var seqs: [Tally.ID: Int64] = [:]
        // A device sends the same source with every tally: encode each once.
        var sources: [Source: String] = [:]
        for source in Set(tallies.map(\.source)) { sources[source] = try Columns.json(source) }
        for chunk in tallies.chunks(of: 500) {
            let rows: [[any Encodable & Sendable]] = chunk.map { tally in
                [
                    tally.operationID.description, tally.id.description, tally.checkpointID.description,
                    Columns.millis(tally.interval.start), Columns.millis(tally.interval.end),
                    tally.direction.rawValue, tally.vehicles.cars, tally.vehicles.buses, tally.vehicles.ambulances,
                    tally.supersedes?.description, sources[tally.source]!, Columns.millis(receivedAt),
                ]
            }
            let insert: SQLQueryString = """
                INSERT INTO tallies (operation_id, id, checkpoint_id, starts_at, ends_at, direction, cars, buses, \
                ambulances, supersedes, source, received_at) \(SQLValueRows(rows: rows)) \
                ON CONFLICT (operation_id, id) DO NOTHING RETURNING seq, id
                """
            for row in try await database.raw(insert).all() {
                seqs[try row.id("id")] = try row.decode(column: "seq", as: Int64.self)
            }
        }
        return seqs
    }

    private func insertCounts(of tallies: [Tally], seqs: [Tally.ID: Int64], on database: any SQLDatabase) async throws {
        let rows = tallies.flatMap { tally in tally.counts.map { (seq: seqs[tally.id]!, count: $0) } }
        // Counts without a breakdown, most of them, bind three values rather than ten.
        let plain = rows.filter { $0.count.breakdown == nil && $0.count.unaccompaniedChildren == nil }
        for chunk in plain.chunks(of: 500) {
            let rows: [[any Encodable & Sendable]] = chunk.map { seq, count in
                [seq, count.group.rawValue, count.people]
            }
            try await database.raw("INSERT INTO tally_counts (tally_seq, grp, people) \(SQLValueRows(rows: rows))")
                .run()
        }
        let detailed = rows.filter { $0.count.breakdown != nil || $0.count.unaccompaniedChildren != nil }
        for chunk in detailed.chunks(of: 500) {
            let rows: [[any Encodable & Sendable]] = chunk.map { seq, count in
                let breakdown = count.breakdown
                return [
                    seq, count.group.rawValue, count.people, breakdown?.female.children, breakdown?.female.adults,
                    breakdown?.female.elderly, breakdown?.male.children, breakdown?.male.adults,
                    breakdown?.male.elderly, count.unaccompaniedChildren,
                ]
            }
            let insert: SQLQueryString = """
                INSERT INTO tally_counts (tally_seq, grp, people, female_children, female_adults, female_elderly, \
                male_children, male_adults, male_elderly, unaccompanied_children) \(SQLValueRows(rows: rows))
                """
            try await database.raw(insert).run()
        }
    }

    public func tallies(in operationID: EvacuationOperation.ID) async throws -> [Tally] {
        try await pool.withConnection { database in
            try await tallies(where: "t.operation_id", equals: operationID.description, in: operationID, on: database)
        }
    }

    public func checkpoints(ofTallies ids: [Tally.ID], in operationID: EvacuationOperation.ID) async throws
        -> [Tally.ID: Checkpoint.ID]
    {
        guard !ids.isEmpty else { return [:] }
        return try await pool.withConnection { database in
            var found: [Tally.ID: Checkpoint.ID] = [:]
            for chunk in ids.chunks(of: 500) {
                for row in try await database.select().column("id").column("checkpoint_id").from("tallies")
                    .where("operation_id", .equal, operationID.description)
                    .where("id", .in, chunk.map(\.description)).all()
                {
                    if let id = Tally.ID(try row.string("id")),
                        let checkpoint = Checkpoint.ID(try row.string("checkpoint_id"))
                    {
                        found[id] = checkpoint
                    }
                }
            }
            return found
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
            if let visible = filter.visibleCheckpoints {
                guard !visible.isEmpty else { return [] }
                query = query.where("checkpoint_id", .in, visible.map(\.description).sorted())
            }
            if let from = filter.from { query = query.where("starts_at", .greaterThanOrEqual, Columns.millis(from)) }
            if let until = filter.until { query = query.where("starts_at", .lessThan, Columns.millis(until)) }
            let seqs = try await query.orderBy("seq").limit(limit).all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
            guard !seqs.isEmpty else { return [] }
            let listed = try await Self.tallies(
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
        try await Self.tallies(matching: "\(unsafeRaw: column) = \(bind: value)", in: operationID, on: database)
            .map(\.tally)
    }

    /// The operation's tallies whose rows match `condition`, in the order they were stored.
    static func tallies(
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
