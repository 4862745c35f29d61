public import CouloirDomain
public import CouloirStorage
public import Foundation
import SQLKit

/// The repositories on SQLKit: one implementation for SQLite and PostgreSQL.
///
/// Every write validates the record against the operation it belongs to, read in the
/// same transaction, so a reference to another operation's record is refused even when
/// requests race.
public struct SQLRepository: Sendable {
    let pool: DatabasePool
    /// The clock that stamps when a record was received.
    let now: @Sendable () -> Date

    /// The queue tallies are written through while the server runs; without one, each
    /// submission is written at once in a transaction of its own.
    let submissions: SubmissionQueue?
    let knownCheckpoints: KnownCheckpoints
    let plans: PlanCache
    /// Who the audit log says made the changes written through this repository.
    public let actor: Actor
    /// Who the records created through this repository belong to; `nil` for the system.
    public let owner: RecordOwner?

    /// A repository that writes tallies at once, each submission in a transaction of
    /// its own: for commands, tests and tools that run no queue. `actor` is who the
    /// audit log names for the changes.
    public init(pool: DatabasePool, actor: Actor = .system("couloir"), now: @escaping @Sendable () -> Date = { Date() })
    {
        self.init(
            pool: pool, actor: actor, now: now, knownCheckpoints: KnownCheckpoints(),
            plans: PlanCache.shared(for: pool.location), submissions: nil)
    }

    private init(
        pool: DatabasePool, actor: Actor, now: @escaping @Sendable () -> Date, knownCheckpoints: KnownCheckpoints,
        plans: PlanCache, submissions: SubmissionQueue?
    ) {
        self.pool = pool
        self.now = now
        self.actor = actor
        owner = nil
        self.knownCheckpoints = knownCheckpoints
        self.plans = plans
        self.submissions = submissions
    }

    /// A repository whose tallies go through a queue, and that queue, which the
    /// application must run as a service: single submissions arriving together share a
    /// transaction, and every write waits its turn.
    public static func queued(
        pool: DatabasePool, actor: Actor, now: @escaping @Sendable () -> Date
    ) -> (store: SQLRepository, queue: SubmissionQueue) {
        let knownCheckpoints = KnownCheckpoints()
        let plans = PlanCache.shared(for: pool.location)
        let writer = SQLRepository(
            pool: pool, actor: actor, now: now, knownCheckpoints: knownCheckpoints, plans: plans, submissions: nil)
        let queue = SubmissionQueue(executor: pool.writerThread) { try await writer.write($0) }
        let store = SQLRepository(
            pool: pool, actor: actor, now: now, knownCheckpoints: knownCheckpoints, plans: plans, submissions: queue)
        return (store, queue)
    }

    private init(_ repository: SQLRepository, actor: Actor, owner: RecordOwner?) {
        pool = repository.pool
        now = repository.now
        submissions = repository.submissions
        knownCheckpoints = repository.knownCheckpoints
        plans = repository.plans
        self.actor = actor
        self.owner = owner
    }

    /// The same repository, writing changes in `actor`'s name; what it creates belongs
    /// to nobody.
    public func acting(as actor: Actor) -> SQLRepository {
        SQLRepository(self, actor: actor, owner: nil)
    }

    /// The same repository, writing changes in `principal`'s name; what it creates
    /// belongs to `principal` and its organisation.
    public func acting(as principal: Principal) -> SQLRepository {
        SQLRepository(self, actor: principal.actor, owner: RecordOwner(principal))
    }

    /// Runs a write that creates `record` in a transaction that also appends the creation
    /// to the audit log.
    func audited<Record: Identifiable & Encodable & Sendable>(
        creating record: Record, _ kind: String, operation: EvacuationOperation.ID?,
        _ body: @Sendable (any SQLDatabase) async throws -> Void
    ) async throws where Record.ID: CustomStringConvertible {
        let change = try AuditChange("create", kind, record, operation: operation, actor: actor)
        try await inAuditedTransaction { database in
            try await body(database)
            return ((), change)
        }
    }

    /// Runs a write that returns the record as it now stands in a transaction that also
    /// appends the change to the audit log.
    func audited<Result: AuditedResult>(
        _ action: String, _ kind: String, operation: EvacuationOperation.ID?,
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let actor = self.actor
        return try await inAuditedTransaction { database in
            let result = try await body(database)
            return (result, try AuditChange(action, kind, result.auditedRecord, operation: operation, actor: actor))
        }
    }

    private func inAuditedTransaction<R: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> (R, AuditChange)
    ) async throws -> R {
        let owner = self.owner
        let result = try await pool.transaction { database in
            let (result, change) = try await body(database)
            if let owner, change.action == "create", let kind = RecordKind(rawValue: change.kind) {
                try await Ownership.record(
                    RecordKey(kind, change.id), in: change.operationID ?? change.id, owner: owner, on: database)
            }
            try await AuditLog.append([change], at: now(), in: pool, on: database)
            return (result, change)
        }
        // Committed: what the cache held of the operation is out of date.
        let change = result.1
        plans.changed(kind: change.kind, id: change.id, operation: change.operationID)
        return result.0
    }

    /// The ids the operation holds, read on `database` (inside the caller's transaction).
    func index(of operationID: EvacuationOperation.ID, on database: any SQLDatabase) async throws -> OperationIndex {
        let operation = try await database.select().column("id").from("operations")
            .where("id", .equal, operationID.description).first()
        guard operation != nil else { throw StorageError.notFound(kind: "operation", id: operationID.description) }
        let id = operationID.description
        let rows = try await database.raw(
            """
            SELECT 'party' AS kind, id FROM parties WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'sector', id FROM sectors WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'corridor', id FROM corridors WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'checkpoint', id FROM checkpoints WHERE operation_id = \(bind: id)
            UNION ALL SELECT 'pause', id FROM pauses WHERE operation_id = \(bind: id)
            """
        ).all()
        var index = OperationIndex(operationID: operationID)
        for row in rows {
            let text = try row.string("id")
            switch try row.string("kind") {
            case "party": Party.ID(text).map { _ = index.parties.insert($0) }
            case "sector": Sector.ID(text).map { _ = index.sectors.insert($0) }
            case "corridor": Corridor.ID(text).map { _ = index.corridors.insert($0) }
            case "checkpoint": Checkpoint.ID(text).map { _ = index.checkpoints.insert($0) }
            default: Pause.ID(text).map { _ = index.pauses.insert($0) }
            }
        }
        return index
    }

    /// Updates one row of the operation if it is still at `version`, raising its version,
    /// and returns the new version. Throws `notFound` or `versionMismatch` otherwise.
    func updateGuarded(
        _ table: String, kind: String, id: String, operationID: String?, from version: Int,
        set values: [String: any Encodable & Sendable], on database: any SQLDatabase
    ) async throws -> Int {
        var update = database.update(table)
        for column in values.keys.sorted() {
            update = update.set(SQLColumn(column), to: SQLBind(values[column]!))
        }
        update = update.set(
            SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1"))
        )
        .where("id", .equal, id)
        .where("version", .equal, version)
        if let operationID { update = update.where("operation_id", .equal, operationID) }
        if let row = try await update.returning("version").first() {
            return try row.int("version")
        }
        var current = database.select().column("version").from(table).where("id", .equal, id)
        if let operationID { current = current.where("operation_id", .equal, operationID) }
        guard let row = try await current.first() else { throw StorageError.notFound(kind: kind, id: id) }
        throw StorageError.versionMismatch(kind: kind, id: id, current: try row.int("version"))
    }

    /// Raises a record's version after a change to what hangs from it.
    func bumpVersion(_ table: String, id: String, on database: any SQLDatabase) async throws -> Int {
        let row = try await database.update(table)
            .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, id)
            .returning("version").first()
        guard let row else { throw StorageError.notFound(kind: table, id: id) }
        return try row.int("version")
    }

    /// Inserts one row unless its key exists, and says whether it did.
    func insertOnce(
        into table: String, key: [String], values: [String: any Encodable & Sendable], on database: any SQLDatabase
    ) async throws -> Bool {
        let columns = values.keys.sorted()
        let inserted = try await database.insert(into: table)
            .columns(columns)
            .values(columns.map { SQLBind(values[$0]!) })
            .ignoringConflicts(with: key)
            .returning(SQLColumn(key[0]))
            .all()
        return !inserted.isEmpty
    }
}

extension SQLRepository: OperationRepository {
    public func insert(_ operation: EvacuationOperation) async throws {
        try operation.validate()
        let values: [String: any Encodable & Sendable] = [
            "id": operation.id.description,
            "name": operation.name,
            "area": operation.area,
            "time_zone": operation.timeZoneIdentifier,
            "languages": try Columns.json(operation.languages),
        ]
        let maker = owner?.organisationID
        let since = Columns.millis(now())
        try await audited(creating: operation, "operation", operation: nil) { database in
            guard try await insertOnce(into: "operations", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "operation", key: operation.id.description)
            }
            // The organisation that makes an operation is its first member.
            if let maker {
                try await database.insert(into: "operation_members").columns("operation_id", "organisation_id", "since")
                    .values(SQLBind(operation.id.description), SQLBind(maker.description), SQLBind(since)).run()
            }
        }
    }

    func loadOperations() async throws -> [EvacuationOperation] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("operations").orderBy("name").orderBy("id").all()
                .map(Self.operation(from:))
        }
    }

    public func operation(_ id: EvacuationOperation.ID) async throws -> EvacuationOperation? {
        try await versionedOperation(id)?.record
    }

    func loadOperation(_ id: EvacuationOperation.ID) async throws -> Versioned<EvacuationOperation>? {
        try await pool.withConnection { database in
            try await database.select().column("*").from("operations").where("id", .equal, id.description).first()
                .map { Versioned(try Self.operation(from: $0), version: try $0.int("version")) }
        }
    }

    public func update(_ operation: EvacuationOperation, from version: Int) async throws
        -> Versioned<EvacuationOperation>
    {
        try operation.validate()
        let values: [String: any Encodable & Sendable] = [
            "name": operation.name, "area": operation.area, "time_zone": operation.timeZoneIdentifier,
            "languages": try Columns.json(operation.languages),
        ]
        return try await audited("update", "operation", operation: nil) { database in
            let next = try await updateGuarded(
                "operations", kind: "operation", id: operation.id.description, operationID: nil, from: version,
                set: values, on: database)
            return Versioned(operation, version: next)
        }
    }

    static func operation(from row: any SQLRow) throws -> EvacuationOperation {
        EvacuationOperation(
            id: try row.id("id"), name: try row.string("name"), area: try row.string("area"),
            timeZoneIdentifier: try row.string("time_zone"), languages: try row.json("languages", as: [String].self))
    }
}
