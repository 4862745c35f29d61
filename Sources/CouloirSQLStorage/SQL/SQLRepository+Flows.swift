public import CouloirDomain
public import CouloirStorage
import Foundation
import SQLKit

/// Flow rollups: people by checkpoint, direction, group and quarter-hour, counting only
/// tallies that no received tally supersedes, and a summary of tallies by checkpoint.
/// Both change in the transaction that stores the tallies, so a figure never reads a
/// tally that is not acknowledged, nor misses one that is.
extension SQLRepository: FlowRepository {
    public func flowCells(
        in operationID: EvacuationOperation.ID, quarters: Range<QuarterHour>, checkpoints: [Checkpoint.ID]
    ) async throws -> [FlowKey: Int] {
        guard !checkpoints.isEmpty else { return [:] }
        return try await pool.withConnection { database in
            let rows = try await database.select()
                .columns("quarter", "checkpoint_id", "direction", "grp", "people")
                .from("flow_quarters")
                .where("operation_id", .equal, operationID.description)
                .where("quarter", .greaterThanOrEqual, quarters.lowerBound.index)
                .where("quarter", .lessThan, quarters.upperBound.index)
                .where("checkpoint_id", .in, checkpoints.map(\.description))
                .all()
            var cells: [FlowKey: Int] = [:]
            for row in rows {
                let key = FlowKey(
                    line: try Self.flowLine(from: row),
                    quarter: QuarterHour(index: try row.decode(column: "quarter", as: Int64.self)))
                cells[key, default: 0] += try row.int("people")
            }
            return cells
        }
    }

    public func flowTotals(
        in operationID: EvacuationOperation.ID, over span: FlowSpan, checkpoints: [Checkpoint.ID]
    ) async throws -> [FlowLine: Int] {
        var totals: [FlowLine: Int] = [:]
        for row in try await sums(
            of: "people", in: "flow_quarters", by: "grp", operationID: operationID, over: span, at: checkpoints)
        {
            totals[try Self.flowLine(from: row)] = try row.decode(column: "people", as: Int.self)
        }
        return totals
    }

    public func protectionTotals(
        in operationID: EvacuationOperation.ID, over span: FlowSpan, checkpoints: [Checkpoint.ID]
    ) async throws -> [ProtectionLine: Int] {
        var totals: [ProtectionLine: Int] = [:]
        for row in try await sums(
            of: "amount", in: "protection_quarters", by: "measure", operationID: operationID, over: span,
            at: checkpoints)
        {
            let line = ProtectionLine(
                checkpointID: try row.id("checkpoint_id"),
                direction: try row.enumeration("direction", as: Direction.self),
                measure: try row.enumeration("measure", as: ProtectionMeasure.self))
            totals[line] = try row.decode(column: "amount", as: Int.self)
        }
        return totals
    }

    /// A rollup's `value` summed over `span` at `checkpoints`, a row per checkpoint,
    /// direction and `kind` (a flow's group, a protection measure).
    private func sums(
        of value: String, in table: String, by kind: String, operationID: EvacuationOperation.ID, over span: FlowSpan,
        at checkpoints: [Checkpoint.ID]
    ) async throws -> [any SQLRow] {
        guard !checkpoints.isEmpty else { return [] }
        return try await pool.withConnection { database in
            var query = database.select()
                .columns("checkpoint_id", "direction", kind)
                // PostgreSQL sums BIGINT as NUMERIC.
                .column(SQLRaw("CAST(SUM(\(value)) AS BIGINT)"), as: value)
                .from(table)
                .where("operation_id", .equal, operationID.description)
                .where("quarter", .lessThan, span.until.index)
                .where("checkpoint_id", .in, checkpoints.map(\.description))
            if let from = span.from { query = query.where("quarter", .greaterThanOrEqual, from.index) }
            return try await query.groupBy("checkpoint_id").groupBy("direction").groupBy(kind).all()
        }
    }

    public func flowExtent(in operationID: EvacuationOperation.ID) async throws -> ClosedRange<QuarterHour>? {
        try await pool.withConnection { database in
            let row = try await database.select()
                .column(SQLFunction("MIN", args: SQLColumn("quarter")), as: "first")
                .column(SQLFunction("MAX", args: SQLColumn("quarter")), as: "last")
                .from("flow_quarters")
                .where("operation_id", .equal, operationID.description)
                .first()
            guard let first = try row?.decode(column: "first", as: Int64?.self),
                let last = try row?.decode(column: "last", as: Int64?.self)
            else { return nil }
            return QuarterHour(index: first)...QuarterHour(index: last)
        }
    }

    public func tallyBasis(in operationID: EvacuationOperation.ID) async throws -> [Checkpoint.ID: TallyBasis] {
        try await pool.withConnection { database in
            var basis: [Checkpoint.ID: TallyBasis] = [:]
            for row in try await database.select().column("*").from("tally_summaries")
                .where("operation_id", .equal, operationID.description).all()
            {
                basis[try row.id("checkpoint_id")] = TallyBasis(
                    received: try row.int("received"), effective: try row.int("effective"),
                    illustrative: try row.int("illustrative"), lastReceivedAt: try row.date("last_received_at"))
            }
            return basis
        }
    }

    private static func flowLine(from row: any SQLRow) throws -> FlowLine {
        FlowLine(
            checkpointID: try row.id("checkpoint_id"), direction: try row.enumeration("direction", as: Direction.self),
            group: try row.enumeration("grp", as: Group.self))
    }

    /// Brings the rollups up to date with `created`, just stored in this transaction.
    ///
    /// Only the new tallies and the ones they supersede can change what counts: a new
    /// tally counts unless a stored tally supersedes it (a correction that came first), and
    /// a tally it supersedes stops counting if nothing superseded it before. A `forecast`
    /// made for exactly these tallies saves adding them up here.
    func updateFlows(
        adding created: [Tally], in operationID: EvacuationOperation.ID, receivedAt: Date,
        on database: any SQLDatabase, forecast: FlowChange.Forecast? = nil
    ) async throws {
        guard !created.isEmpty else { return }
        let createdIDs = Set(created.map(\.id))
        let targets = Set(created.compactMap(\.supersedes))
        var supersededBy: [Tally.ID: [Tally.ID]] = [:]
        let affected = createdIDs.union(targets).map(\.description)
        for chunk in affected.chunks(of: 500) {
            for row in try await database.raw(
                """
                SELECT id, supersedes FROM tallies \
                WHERE operation_id = \(bind: operationID.description) AND supersedes IN (\(binds: Array(chunk)))
                """
            ).all() {
                supersededBy[try row.id("supersedes"), default: []].append(try row.id("id"))
            }
        }
        let fitting = forecast.flatMap { $0.receivedAt == receivedAt && $0.tallies == created.map(\.id) ? $0 : nil }
        // Made as if every tally counted: those a correction supersedes are taken out.
        var change = (fitting ?? FlowChange.Forecast(created, receivedAt: receivedAt)).change
        for tally in created where supersededBy[tally.id] != nil { change.add(tally, sign: -1) }
        let wereCounting = targets.subtracting(createdIDs).filter {
            supersededBy[$0, default: []].allSatisfy(createdIDs.contains)
        }
        if !wereCounting.isEmpty {
            let ids = wereCounting.map(\.description)
            for entry in try await Self.tallies(matching: "t.id IN (\(binds: ids))", in: operationID, on: database) {
                change.add(entry.tally, sign: -1)
            }
        }
        try await change.write(in: operationID, on: database)
    }

    /// Recomputes every operation's rollups from its tallies.
    static func rebuildFlows(on database: any SQLDatabase) async throws {
        try await database.delete(from: "flow_quarters").run()
        try await database.delete(from: "tally_summaries").run()
        for operation in try await database.select().column("id").from("operations").all() {
            let operationID: EvacuationOperation.ID = try operation.id("id")
            let stored = try await tallies(
                matching: "t.operation_id = \(bind: operationID.description)", in: operationID, on: database)
            let received = try await database.select().column("id").column("received_at").from("tallies")
                .where("operation_id", .equal, operationID.description).all()
            var receivedAt: [Tally.ID: Date] = [:]
            for row in received { receivedAt[try row.id("id")] = try row.date("received_at") }
            // As migration 4 wrote them: flows and summaries, before protection had a table.
            var change = FlowChange(keepsProtection: false)
            for entry in stored {
                change.receive(entry.tally, at: receivedAt[entry.tally.id] ?? Date(timeIntervalSince1970: 0))
            }
            for tally in Corrections.effective(stored.map(\.tally)) { change.add(tally, sign: 1) }
            try await change.write(in: operationID, on: database)
        }
    }

    /// Recomputes every operation's protection rollups from the tallies that count (those
    /// no stored tally supersedes), a range of tallies at a time: the cells are held in
    /// memory, never the tallies, so that a database of millions migrates in bounded memory.
    static func rebuildProtection(on database: any SQLDatabase) async throws {
        try await database.delete(from: "protection_quarters").run()
        for operation in try await database.select().column("id").from("operations").all() {
            let operationID: EvacuationOperation.ID = try operation.id("id")
            let last = try await database.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "last")
                .from("tallies").where("operation_id", .equal, operationID.description).first()?
                .decode(column: "last", as: Int64?.self)
            var change = FlowChange()
            var after: Int64 = 0
            while let last, after < last {
                let until = after + 10_000
                for entry in try await tallies(
                    matching: """
                        t.seq > \(bind: after) AND t.seq <= \(bind: until) AND NOT EXISTS (
                        SELECT 1 FROM tallies s WHERE s.operation_id = t.operation_id AND s.supersedes = t.id)
                        """, in: operationID, on: database)
                {
                    change.protection(entry.tally, sign: 1)
                }
                after = until
            }
            try await change.writeProtection(in: operationID, on: database)
        }
    }
}

/// What a set of stored tallies changes in the rollups, gathered before it is written so
/// that each cell is written once.
struct FlowChange {
    var cells: [FlowKey: Int] = [:]
    var protection: [ProtectionKey: Int] = [:]
    var basis: [Checkpoint.ID: TallyBasis] = [:]
    /// Whether protection rollups change too (they have a table from migration 11 on).
    var keepsProtection = true

    /// The change of new tallies as if each of them counted, made ahead of their
    /// transaction's statements, off the writer's thread. Every change adds up, so taking
    /// out a tally found superseded later leaves what leaving it out would have.
    struct Forecast: Sendable {
        let tallies: [Tally.ID]
        let receivedAt: Date
        let change: FlowChange

        init(_ tallies: [Tally], receivedAt: Date) {
            var change = FlowChange()
            for tally in tallies {
                change.receive(tally, at: receivedAt)
                change.add(tally, sign: 1)
            }
            self.tallies = tallies.map(\.id)
            self.receivedAt = receivedAt
            self.change = change
        }
    }

    mutating func receive(_ tally: Tally, at instant: Date) {
        basis[tally.checkpointID, default: TallyBasis()] =
            basis[tally.checkpointID, default: TallyBasis()] + TallyBasis(received: 1, lastReceivedAt: instant)
    }

    /// Adds (`sign` 1) or removes (-1) a tally's people, and counts it as counting or not.
    mutating func add(_ tally: Tally, sign: Int) {
        for (key, people) in tally.flow { cells[key, default: 0] += sign * people }
        if keepsProtection { protection(tally, sign: sign) }
        basis[tally.checkpointID, default: TallyBasis()] =
            basis[tally.checkpointID, default: TallyBasis()]
            + TallyBasis(effective: sign, illustrative: tally.source.illustrative ? sign : 0)
    }

    mutating func protection(_ tally: Tally, sign: Int) {
        for (key, amount) in tally.protection { protection[key, default: 0] += sign * amount }
    }

    func writeProtection(in operationID: EvacuationOperation.ID, on database: any SQLDatabase) async throws {
        try await Self.accumulate(
            protection.map {
                (
                    $0.key.quarter, $0.key.line.checkpointID, $0.key.line.direction, $0.key.line.measure.rawValue,
                    $0.value
                )
            },
            into: "protection_quarters", by: "measure", value: "amount", in: operationID, on: database)
    }

    func write(in operationID: EvacuationOperation.ID, on database: any SQLDatabase) async throws {
        try await writeProtection(in: operationID, on: database)
        try await Self.accumulate(
            cells.map {
                ($0.key.quarter, $0.key.line.checkpointID, $0.key.line.direction, $0.key.line.group.rawValue, $0.value)
            },
            into: "flow_quarters", by: "grp", value: "people", in: operationID, on: database)
        guard !basis.isEmpty else { return }
        let rows: [[any Encodable & Sendable]] = basis.sorted(by: { $0.key.description < $1.key.description }).map {
            checkpointID, basis in
            [
                operationID.description, checkpointID.description, basis.received, basis.effective,
                basis.illustrative, Columns.millis(basis.lastReceivedAt ?? Date(timeIntervalSince1970: 0)),
            ]
        }
        let upsert: SQLQueryString = """
            INSERT INTO tally_summaries (operation_id, checkpoint_id, received, effective, illustrative, \
            last_received_at) \(SQLValueRows(rows: rows)) ON CONFLICT (operation_id, checkpoint_id) DO UPDATE SET \
            received = tally_summaries.received + excluded.received, \
            effective = tally_summaries.effective + excluded.effective, \
            illustrative = tally_summaries.illustrative + excluded.illustrative, \
            last_received_at = CASE WHEN excluded.last_received_at > tally_summaries.last_received_at \
            THEN excluded.last_received_at ELSE tally_summaries.last_received_at END
            """
        try await database.raw(upsert).run()
    }

    /// Adds each cell's amount to what a rollup `table` holds for its quarter-hour,
    /// checkpoint, direction and `kind` (a group, a measure), in key order, so that
    /// concurrent writers on PostgreSQL lock rows in one order.
    private static func accumulate(
        _ cells: [(quarter: QuarterHour, checkpoint: Checkpoint.ID, direction: Direction, kind: String, amount: Int)],
        into table: String, by kind: String, value: String, in operationID: EvacuationOperation.ID,
        on database: any SQLDatabase
    ) async throws {
        // A batch's cells lie at a few checkpoints: each id is written once, and cells of
        // one checkpoint compare the same string, which is quick.
        var texts: [Checkpoint.ID: String] = [:]
        for cell in cells where texts[cell.checkpoint] == nil { texts[cell.checkpoint] = cell.checkpoint.description }
        let operation = operationID.description
        let changed = cells.filter { $0.amount != 0 }
            .map { cell in
                (
                    key: (
                        quarter: cell.quarter.index, checkpoint: texts[cell.checkpoint]!,
                        direction: cell.direction.rawValue, kind: cell.kind
                    ),
                    amount: cell.amount
                )
            }
            // Field by field: the tuples' own `<` costs a generic call a field.
            .sorted { first, second in
                let (a, b) = (first.key, second.key)
                if a.quarter != b.quarter { return a.quarter < b.quarter }
                if a.checkpoint != b.checkpoint { return a.checkpoint < b.checkpoint }
                if a.direction != b.direction { return a.direction < b.direction }
                return a.kind < b.kind
            }
        for chunk in changed.chunks(of: 500) {
            let rows: [[any Encodable & Sendable]] = chunk.map { key, amount in
                [operation, key.quarter, key.checkpoint, key.direction, key.kind, amount]
            }
            let upsert: SQLQueryString = """
                INSERT INTO \(unsafeRaw: table) (operation_id, quarter, checkpoint_id, direction, \(unsafeRaw: kind), \
                \(unsafeRaw: value)) \(SQLValueRows(rows: rows)) \
                ON CONFLICT (operation_id, quarter, checkpoint_id, direction, \(unsafeRaw: kind)) \
                DO UPDATE SET \(unsafeRaw: value) = \(unsafeRaw: table).\(unsafeRaw: value) + excluded.\(unsafeRaw: value)
                """
            try await database.raw(upsert).run()
        }
    }
}
