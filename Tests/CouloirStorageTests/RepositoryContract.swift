import CouloirAudit
import CouloirDemo
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging
import SQLKit
import Testing

/// What every storage backend must do, as a table of named behaviours; the suites
/// below run the whole table on each backend.
enum RepositoryContract: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case everyDemoRecordReadsBackAsItWasWritten
    case aDuplicateIdIsRefused
    case aTallyIsStoredOnceAndReplayedOrRefusedAfterwards
    case identicalSubmissionsRacingInParallelStoreOneRow
    case flowRollupsCountWhatCorrectionsLeaveInAnyOrderOfArrival
    case migratingRebuildsTheRollupsOfStoredTallies
    case aReferenceToAnotherOperationIsRefusedAndChangesNothing
    case anInvalidRecordChangesNothing
    case aRecordForAnUnknownOperationIsNotFound
    case pauseTransitionsAreStoredAndIllegalOnesChangeNothing
    case aPauseInForceKeepsItsTerms
    case checkpointsTakeTheNextPositionAndKeepTheirCorridor
    case verificationChangesAreKeptInOrder
    case partiesAndSectorsAreUpdatedFromTheirVersion
    case corridorOverridesAreStored
    case anUpdateFromTheCurrentVersionRaisesIt
    case anUpdateFromAStaleVersionIsRefusedAndChangesNothing
    case ofTwoUpdatesFromOneVersionExactlyOneSucceeds
    case recordsSurviveClosingAndReopeningTheDatabase
    case migratingTwiceChangesNothing
    case aDatabaseFromANewerVersionIsRefused
    case everyChangeAppendsOneAuditEntryNamingItsActor
    case concurrentChangesKeepOneUnbrokenAuditLog
    case twoPoolsOnOneDatabaseKeepOneUnbrokenAuditLog
    case aTamperedAuditEntryIsNamedByVerification
    case identitiesAreStoredAndAuditedWithoutTheirSecrets
    case aRecordsHistoryIsIndexedAndRebuiltFromTheLog

    var testDescription: String { rawValue }

    func run(on backend: Backend) async throws {
        try await backend.withFreshDatabase { pool, store in
            try await check(pool: pool, store: store)
        }
    }

    private func check(pool: DatabasePool, store: some Storage) async throws {
        let demo = DemoScenario.aleppo2016()
        switch self {
        case .everyDemoRecordReadsBackAsItWasWritten:
            try await load(demo, into: store)
            #expect(try await store.operations() == demo.operations.sorted { $0.name < $1.name })
            for operation in demo.operations {
                let id = operation.id
                #expect(
                    try await store.parties(in: id).sorted(by: byID)
                        == demo.parties.filter { $0.operationID == id }.sorted(by: byID))
                #expect(
                    try await store.sectors(in: id).sorted(by: byID)
                        == demo.sectors.filter { $0.operationID == id }.sorted(by: byID))
                #expect(
                    try await store.corridors(in: id)
                        == demo.corridors.filter { $0.operationID == id }.sorted { $0.code < $1.code })
                #expect(try await store.pauses(in: id) == demo.pauses.filter { $0.operationID == id })
                #expect(
                    try await store.incidents(in: id).sorted(by: byID)
                        == demo.incidents.filter { $0.operationID == id }.sorted(by: byID))
                #expect(
                    try await store.claims(in: id).sorted(by: byID)
                        == demo.claims.filter { $0.operationID == id }.sorted(by: byID))
                #expect(try await store.tallies(in: id) == demo.tallies.filter { $0.operationID == id })
            }

        case .aDuplicateIdIsRefused:
            let operation = demo.operations[0]
            try await store.insert(operation)
            await #expect(throws: StorageError.duplicate(kind: "operation", key: operation.id.description)) {
                try await store.insert(operation)
            }

        case .aTallyIsStoredOnceAndReplayedOrRefusedAfterwards:
            try await load(demo, into: store, tallies: false)
            let tally = demo.tallies[0]
            #expect(try await store.submit(tally) == .created(tally))
            #expect(try await store.submit(tally) == .replayed(tally))
            var changed = tally
            changed.counts[0].people += 1
            changed.counts[0].breakdown = nil
            #expect(try await store.submit(changed) == .conflict(stored: tally))
            #expect(try await store.tallies(in: tally.operationID) == [tally])

        case .identicalSubmissionsRacingInParallelStoreOneRow:
            try await load(demo, into: store, tallies: false)
            let rounds = Array(demo.tallies.prefix(100))
            for tally in rounds {
                let outcomes = try await withThrowingTaskGroup(of: TallySubmission.self) { group in
                    // Single submissions share a transaction when they overlap; batches of
                    // one race in transactions of their own, where the constraint decides.
                    for racer in 0..<5 {
                        group.addTask {
                            if racer % 2 == 0 { return try await store.submit(tally) }
                            return try await store.submit(batch: [tally])[0].get()
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 == .created(tally) }.count == 1)
                #expect(outcomes.filter { $0 == .replayed(tally) }.count == 4)
            }
            #expect(try await store.tallies(in: demo.operations[0].id) == rounds)

        case .flowRollupsCountWhatCorrectionsLeaveInAnyOrderOfArrival:
            try await load(demo, into: store, tallies: false)
            let operation = demo.operations[0]
            let checkpoints = demo.corridors.filter { $0.operationID == operation.id }.flatMap(\.checkpoints)
            for seed in 0..<8 {
                var random = SeededGenerator(seed: UInt64(seed))
                let chains = CorrectionChains.make(operation: operation.id, at: checkpoints, using: &random)
                var delivery = chains + chains.filter { _ in Int.random(in: 0..<4, using: &random) == 0 }
                delivery.shuffle(using: &random)
                // Some arrive one by one, the rest in batches of random sizes, some in parallel.
                while !delivery.isEmpty {
                    let size = min(delivery.count, Int.random(in: 1...40, using: &random))
                    let batch = Array(delivery.prefix(size))
                    delivery.removeFirst(size)
                    if size == 1 {
                        _ = try await store.submit(batch[0])
                    } else if Bool.random(using: &random) {
                        _ = try await store.submit(batch: batch)
                    } else {
                        let halves = [Array(batch.prefix(size / 2)), Array(batch.dropFirst(size / 2))]
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for half in halves { group.addTask { _ = try await store.submit(batch: half) } }
                            try await group.waitForAll()
                        }
                    }
                }
                let received = try await store.tallies(in: operation.id)
                #expect(Set(received.map(\.id)).count == received.count)
                try await expectRollups(of: received, in: operation.id, at: checkpoints, store: store)
            }

        case .everyChangeAppendsOneAuditEntryNamingItsActor:
            try await load(demo, into: store.acting(as: .system("demo")), tallies: false)
            let records =
                demo.operations.count + demo.parties.count + demo.sectors.count + demo.corridors.count
                + demo.pauses.count + demo.incidents.count + demo.claims.count
            #expect(try await store.auditSize() == Int64(records))
            let coordinatorID = User.ID()
            let coordinator = store.acting(as: .user(coordinatorID))
            var party = demo.parties[0]
            party.name += " (renamed)"
            _ = try await coordinator.update(party, from: 1)
            await #expect(throws: StorageError.self) { try await coordinator.update(party, from: 1) }
            let tallies = Array(demo.tallies.filter { $0.operationID == demo.operations[0].id }.prefix(5))
            let phone = AccessToken.ID()
            let monitor = store.acting(as: .device(phone))
            _ = try await monitor.submit(batch: tallies)
            _ = try await monitor.submit(batch: tallies)
            _ = try await monitor.submit(tallies[0])
            let entries = try await store.auditEntries(offset: 0, limit: 1_000).compactMap { AuditEntry(text: $0.text) }
            #expect(entries.count == records + 1 + tallies.count)
            #expect(entries.map(\.index) == (0..<Int64(entries.count)).map { $0 })
            let created = try #require(entries.first { $0.kind == "party" && $0.id == party.id.description })
            #expect(created.actor == "system:demo")
            #expect(created.action == "create")
            #expect(created.before == nil)
            let renamed = entries[records]
            #expect(renamed.actor == "user:\(coordinatorID)")
            #expect(renamed.action == "update")
            #expect(renamed.before == created.after)
            #expect(renamed.after != created.after)
            #expect(renamed.operation == party.operationID.description)
            #expect(entries.suffix(tallies.count).map(\.id) == tallies.map(\.id.description))
            #expect(entries.suffix(tallies.count).allSatisfy { $0.actor == "device:\(phone)" && $0.kind == "tally" })
            #expect(try await store.auditEntries(ofKind: "party", id: party.id.description) == [created, renamed])
            #expect(try await store.auditEntries(ofKind: "tally", id: tallies[0].id.description).isEmpty)
            // Followed from an index, as a live view follows the log; each tally's checkpoint looked up.
            #expect(
                try await store.auditEntries(from: Int64(records), limit: 3) == Array(entries[records..<records + 3]))
            #expect(try await store.auditEntries(from: Int64(entries.count), limit: 10).isEmpty)
            let counted = try await store.checkpoints(
                ofTallies: tallies.map(\.id) + [Tally.ID()], in: tallies[0].operationID)
            #expect(counted == Dictionary(uniqueKeysWithValues: tallies.map { ($0.id, $0.checkpointID) }))
            #expect(try await store.checkpoints(ofTallies: tallies.map(\.id), in: demo.operations[1].id).isEmpty)
            let key = AuditSigningKey()
            let head = try #require(try await store.signTreeHead(with: key))
            #expect(head.head.size == Int64(entries.count))
            #expect(try await store.signTreeHead(with: key) == nil)
            let summary = try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation, pageSize: 7)
            #expect(summary.entries == Int64(entries.count))
            #expect(summary.heads == 1)
            #expect(summary.unsigned == 0)

        case .concurrentChangesKeepOneUnbrokenAuditLog:
            try await load(demo, into: store, tallies: false)
            let before = try await store.auditSize()
            let operationID = demo.operations[0].id
            let tallies = demo.tallies.filter { $0.operationID == operationID }
            let key = AuditSigningKey()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (number, tally) in tallies.enumerated() {
                    group.addTask { _ = try await store.acting(as: .system("device-\(number % 4)")).submit(tally) }
                }
                for number in 0..<10 {
                    group.addTask {
                        try await store.insert(Party(operationID: operationID, name: "Party \(number)", kind: .ngo))
                    }
                }
                group.addTask { _ = try await store.signTreeHead(with: key) }
                try await group.waitForAll()
            }
            _ = try await store.signTreeHead(with: key)
            let summary = try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation)
            #expect(summary.entries == before + Int64(tallies.count) + 10)
            #expect(summary.unsigned == 0)

        case .twoPoolsOnOneDatabaseKeepOneUnbrokenAuditLog:
            // As a command run beside the server does: each pool appends after the other's
            // entries, whatever it remembers of its own last append.
            try await load(demo, into: store, tallies: false)
            let before = try await store.auditSize()
            var logger = Logger(label: "couloir.tests")
            logger.logLevel = .warning
            let otherPool = try DatabasePool(pool.location, logger: logger)
            let other = SQLRepository(pool: otherPool, actor: .system("cli"))
            let operationID = demo.operations[0].id
            let tallies = demo.tallies.filter { $0.operationID == operationID }.prefix(4)
            do {
                for (number, tally) in tallies.enumerated() {
                    _ = try await store.submit(tally)
                    try await other.insert(Party(operationID: operationID, name: "Party \(number)", kind: .ngo))
                }
                _ = try await other.submit(batch: Array(demo.tallies.filter { $0.operationID == operationID }[4..<8]))
                try await store.insert(Party(operationID: operationID, name: "Last", kind: .ngo))
                try await otherPool.shutdown()
            } catch {
                try? await otherPool.shutdown()
                throw error
            }
            let key = AuditSigningKey()
            _ = try await store.signTreeHead(with: key)
            let summary = try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation)
            #expect(summary.entries == before + 13)
            #expect(try await store.auditSize() == before + 13)
            #expect(try await store.tallies(in: operationID).count == 8)

        case .aTamperedAuditEntryIsNamedByVerification:
            try await load(demo, into: store.acting(as: .system("demo")), tallies: false)
            let key = AuditSigningKey()
            _ = try await store.signTreeHead(with: key)
            let victim: Int64 = 3
            let tamper: SQLQueryString = """
                UPDATE audit_events SET entry = REPLACE(entry, 'system:demo', 'system:demx') WHERE leaf_index = \(bind: victim)
                """
            await #expect(throws: (any Error).self, "audit events are append-only") {
                try await pool.withConnection { try await $0.raw(tamper).run() }
            }
            #expect(try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation).heads == 1)
            try await pool.withConnection { database in
                try await database.raw(
                    pool.isPostgres
                        ? "DROP TRIGGER audit_events_append_only ON audit_events"
                        : "DROP TRIGGER audit_events_no_update"
                ).run()
                try await database.raw(tamper).run()
            }
            await #expect(throws: AuditFailure.self) {
                try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation)
            }
            do {
                _ = try await store.verifyAuditLog(trusting: key.publicKey.rawRepresentation)
            } catch let failure as AuditFailure {
                #expect(failure.entry == victim)
            }

        case .identitiesAreStoredAndAuditedWithoutTheirSecrets:
            let admin = store.acting(as: .system("cli"))
            let redCrescent = Organisation(name: "Syrian Arab Red Crescent")
            try await admin.insert(redCrescent)
            await #expect(throws: StorageError.duplicate(kind: "organisation", key: redCrescent.name)) {
                try await admin.insert(Organisation(name: redCrescent.name))
            }
            #expect(try await store.organisation(named: redCrescent.name) == redCrescent)
            let hash = "$2b$12$" + String(repeating: "h", count: 53)
            let monitor = User(organisationID: redCrescent.id, login: "monitor.hanano", role: .monitor)
            try await admin.insert(monitor, passwordHash: hash)
            await #expect(throws: StorageError.duplicate(kind: "user", key: monitor.login)) {
                try await admin.insert(
                    User(organisationID: redCrescent.id, login: monitor.login, role: .observer),
                    passwordHash: hash)
            }
            await #expect(throws: DomainError.self) {
                try await admin.insert(
                    User(organisationID: redCrescent.id, login: "Bad Login", role: .observer),
                    passwordHash: hash)
            }
            let stray = Organisation.ID()
            await #expect(throws: StorageError.notFound(kind: "organisation", id: stray.description)) {
                try await admin.insert(
                    User(organisationID: stray, login: "nobody", role: .observer), passwordHash: hash)
            }
            #expect(
                try await store.user(login: monitor.login) == StoredUser(user: monitor, passwordHash: hash, version: 1))
            let disabled = try await admin.setDisabled(true, user: monitor.id)
            #expect(disabled.user.disabled && disabled.version == 2)
            #expect(try await store.user(monitor.id)?.user.disabled == true)
            let analyst = User(organisationID: redCrescent.id, login: "analyst.aleppo", role: .analyst)
            try await admin.insert(analyst, passwordHash: hash)
            #expect(try await store.users(of: redCrescent.id).map(\.user) == [analyst, disabled.user])
            #expect(try await store.users(of: Organisation.ID()).isEmpty)

            let issued = instant("2016-10-20T05:00:00Z")
            let phone = AccessToken(organisationID: redCrescent.id, label: "Phone 3", role: .monitor, issuedAt: issued)
            let digest = String(repeating: "d", count: 64)
            try await admin.insert(phone, secretDigest: digest)
            #expect(try await store.token(secretDigest: digest) == StoredToken(token: phone, lastUsedAt: nil))
            #expect(try await store.token(secretDigest: String(repeating: "e", count: 64)) == nil)
            try await store.recordUse(of: phone.id, at: issued.addingTimeInterval(60))
            let revoked = try await admin.revoke(phone.id, at: issued.addingTimeInterval(120))
            #expect(revoked.token.revokedAt == issued.addingTimeInterval(120))
            #expect(revoked.lastUsedAt == issued.addingTimeInterval(60))
            #expect(try await admin.revoke(phone.id, at: issued.addingTimeInterval(600)) == revoked)
            #expect(try await store.tokens(of: redCrescent.id) == [revoked])

            let entries = try await store.auditEntries(offset: 0, limit: 100)
            #expect(
                entries.compactMap { AuditEntry(text: $0.text) }.map { "\($0.action) \($0.kind)" }
                    == [
                        "create organisation", "create user", "disable user", "create user", "create token",
                        "revoke token",
                    ])
            #expect(!entries.contains { $0.text.contains(hash) || $0.text.contains(digest) })

        case .aRecordsHistoryIsIndexedAndRebuiltFromTheLog:
            try await load(demo, into: store, tallies: false)
            let corridor = demo.corridors[0]
            _ = try await store.acting(as: .user(User.ID())).addOverride(
                StatusOverride(
                    state: .closed, from: instant("2016-10-20T06:00:00Z"), until: nil, reason: "Shelling",
                    source: Source(name: "SARC", kind: .monitor)),
                to: corridor.id, in: corridor.operationID)
            let history = try await store.auditEntries(ofKind: "corridor", id: corridor.id.description)
            #expect(history.map(\.action) == ["create", "override"])
            // As if the log had been written before the index: migration 10 rebuilds it
            // (and the ones after it run again).
            try await pool.transaction { database in
                try await database.drop(table: "audit_records").run()
                try await database.drop(table: "protection_quarters").run()
                try await database.delete(from: "schema_migrations").where("version", .greaterThanOrEqual, 10).run()
            }
            #expect(try await Migrator(pool: pool).migrate(logger: Logger(label: "test")) == [10, 11])
            #expect(try await store.auditEntries(ofKind: "corridor", id: corridor.id.description) == history)

        case .migratingRebuildsTheRollupsOfStoredTallies:
            try await load(demo, into: store, tallies: false)
            let operation = demo.operations[0]
            let checkpoints = demo.corridors.filter { $0.operationID == operation.id }.flatMap(\.checkpoints)
            var random = SeededGenerator(seed: 2016)
            _ = try await store.submit(
                batch: CorrectionChains.make(operation: operation.id, at: checkpoints, using: &random))
            // As if the tallies had been stored by a Couloir before rollups: the rebuilds
            // that migrations 4 and 11 run give what the tallies' transactions kept.
            let later = Migration.all.filter { $0.version > 4 && $0.version < 11 }
            try await pool.transaction { database in
                try await database.drop(table: "flow_quarters").run()
                try await database.drop(table: "tally_summaries").run()
                try await database.drop(table: "protection_quarters").run()
                try await database.delete(from: "schema_migrations").where("version", .greaterThanOrEqual, 4).run()
            }
            let upToRollups = Migrator(pool: pool, migrations: Migration.all.filter { $0.version <= 4 })
            #expect(try await upToRollups.migrate(logger: Logger(label: "test")) == [4])
            // The later migrations' tables were left standing: record them as applied again.
            try await pool.transaction { database in
                for migration in later {
                    try await database.insert(into: "schema_migrations").columns("version", "name")
                        .values(SQLBind(migration.version), SQLBind(migration.name)).run()
                }
            }
            #expect(try await Migrator(pool: pool).migrate(logger: Logger(label: "test")) == [11])
            try await expectRollups(
                of: try await store.tallies(in: operation.id), in: operation.id, at: checkpoints, store: store)

        case .aReferenceToAnotherOperationIsRefusedAndChangesNothing:
            try await load(demo, into: store, tallies: false)
            let palmyra = demo.operations[1]
            var stray = demo.corridors[0]
            stray.id = Corridor.ID()
            stray.code = "X1"
            stray.checkpoints = []
            stray.operationID = palmyra.id
            await #expect(throws: DomainError.self) { try await store.insert(stray) }
            #expect(try await store.corridors(in: palmyra.id).isEmpty)
            var tally = demo.tallies[0]
            tally.operationID = palmyra.id
            await #expect(
                throws: DomainError.invalid([
                    FieldIssue("/checkpointId", "no checkpoint \(tally.checkpointID) in this operation")
                ])
            ) {
                try await store.submit(tally)
            }
            #expect(try await store.tallies(in: palmyra.id).isEmpty)

        case .anInvalidRecordChangesNothing:
            try await load(demo, into: store, tallies: false)
            var corridor = demo.corridors[0]
            corridor.id = Corridor.ID()
            corridor.code = "C1"
            corridor.checkpoints = []
            await #expect(
                throws: DomainError.invalid([FieldIssue("/code", "corridor code 'C1' is taken in this operation")])
            ) {
                try await store.insert(corridor)
            }
            var tally = demo.tallies[0]
            tally.counts = [GroupCount(group: .civilians, people: -4)]
            await #expect(throws: DomainError.self) { try await store.submit(tally) }
            #expect(try await store.corridors(in: corridor.operationID).count == 8)
            #expect(try await store.tallies(in: corridor.operationID).isEmpty)

        case .aRecordForAnUnknownOperationIsNotFound:
            let party = Party(operationID: EvacuationOperation.ID(), name: "Nobody", kind: .ngo)
            await #expect(throws: StorageError.notFound(kind: "operation", id: party.operationID.description)) {
                try await store.insert(party)
            }
            #expect(try await store.operation(party.operationID) == nil)

        case .pauseTransitionsAreStoredAndIllegalOnesChangeNothing:
            try await load(demo, into: store, tallies: false)
            let pause = demo.pauses[0]
            let resumed = try await store.transition(
                pause.id, in: pause.operationID, to: .active, at: instant("2016-11-04T09:00:00+02:00"),
                actor: "Coordination cell", reason: "Pause offered again", source: demo.pauses[0].source)
            #expect(resumed.record.state == .active)
            #expect(resumed.version == 2)
            #expect(try await store.versionedPause(pause.id, in: pause.operationID) == resumed)
            await #expect(throws: DomainError.illegalTransition(from: .active, to: .agreed)) {
                try await store.transition(
                    pause.id, in: pause.operationID, to: .agreed, at: instant("2016-11-05T09:00:00+02:00"),
                    actor: "Cell", reason: "no", source: pause.source)
            }
            await #expect(throws: StorageError.self) {
                try await store.transition(
                    pause.id, in: demo.operations[1].id, to: .ended, at: instant("2016-11-05T09:00:00+02:00"),
                    actor: "Cell", reason: "wrong operation", source: pause.source)
            }
            #expect(try await store.versionedPause(pause.id, in: pause.operationID) == resumed)

        case .aPauseInForceKeepsItsTerms:
            try await load(demo, into: store, tallies: false)
            var pause = demo.pauses[0]
            pause.name = "Rewritten after the fact"
            let stored = try #require(try await store.versionedPause(pause.id, in: pause.operationID))
            await #expect(throws: DomainError.self) { try await store.update(pause, from: stored.version) }
            #expect(try await store.versionedPause(pause.id, in: pause.operationID) == stored)
            var proposal = Pause(
                operationID: pause.operationID, name: "Proposal", windows: pause.windows,
                corridorIDs: pause.corridorIDs, proposedAt: pause.proposedAt, source: pause.source)
            try await store.insert(proposal)
            proposal.name = "Proposal, revised"
            let revised = try await store.update(proposal, from: 1)
            #expect(revised == Versioned(proposal, version: 2))

        case .checkpointsTakeTheNextPositionAndKeepTheirCorridor:
            try await load(demo, into: store, tallies: false)
            let corridor = demo.corridors[0]
            let before = try #require(try await store.versionedCorridor(corridor.id, in: corridor.operationID))
            let added = try await withThrowingTaskGroup(of: Versioned<PlacedCheckpoint>.self) { group in
                for n in 0..<4 {
                    group.addTask {
                        try await store.addCheckpoint(
                            Checkpoint(name: "Added \(n)", location: corridor.checkpoints[0].location),
                            to: corridor.id, in: corridor.operationID)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let first = corridor.checkpoints.count
            #expect(Set(added.map(\.record.position)) == Set(first..<first + 4))
            var renamed = added[0].record.checkpoint
            renamed.name = "Renamed"
            let updated = try await store.update(renamed, in: corridor.operationID, from: 1)
            #expect(updated.version == 2)
            #expect(
                updated.record == PlacedCheckpoint(renamed, corridorID: corridor.id, position: added[0].record.position)
            )
            await #expect(throws: StorageError.self) {
                try await store.update(renamed, in: corridor.operationID, from: 1)
            }
            let after = try #require(try await store.versionedCorridor(corridor.id, in: corridor.operationID))
            #expect(after.version == before.version + 5)
            #expect(after.record.checkpoints.count == first + 4)
            #expect(
                try await store.checkpoints(in: corridor.operationID).count == demo.corridors.filter {
                    $0.operationID == corridor.operationID
                }.map(\.checkpoints.count).reduce(0, +) + 4)
            await #expect(throws: StorageError.notFound(kind: "corridor", id: corridor.id.description)) {
                try await store.addCheckpoint(renamed, to: corridor.id, in: demo.operations[1].id)
            }

        case .verificationChangesAreKeptInOrder:
            try await load(demo, into: store, tallies: false)
            let claim = demo.claims[0]
            let disputed = try await store.changeVerification(
                ofClaim: claim.id, in: claim.operationID, to: .disputed, at: instant("2016-10-21T10:00:00+03:00"),
                reason: "Contradicted by the count at C1", source: claim.source)
            let retracted = try await store.changeVerification(
                ofClaim: claim.id, in: claim.operationID, to: .retracted, at: instant("2016-10-22T10:00:00+03:00"),
                reason: "Withdrawn by its source", source: claim.source)
            #expect(disputed.version == 2 && retracted.version == 3)
            #expect(retracted.record.verification == .retracted)
            #expect(retracted.record.verificationHistory.map(\.to) == [.disputed, .retracted])
            #expect(try await store.versionedClaim(claim.id, in: claim.operationID) == retracted)
            await #expect(throws: DomainError.self) {
                try await store.changeVerification(
                    ofClaim: claim.id, in: claim.operationID, to: .retracted, at: instant("2016-10-23T10:00:00+03:00"),
                    reason: "again", source: claim.source)
            }
            var edited = retracted.record
            edited.statement = "Corrected transcription"
            let updated = try await store.update(edited, from: 3)
            #expect(updated.record.verificationHistory.count == 2 && updated.version == 4)
            let incident = demo.incidents[0]
            let verified = try await store.changeVerification(
                ofIncident: incident.id, in: incident.operationID, to: .verified,
                at: instant("2016-10-21T10:00:00+03:00"), reason: "Seen by monitors", source: incident.source)
            #expect(try await store.versionedIncident(incident.id, in: incident.operationID) == verified)

        case .partiesAndSectorsAreUpdatedFromTheirVersion:
            try await load(demo, into: store, tallies: false)
            var party = demo.parties[0]
            party.name = "Renamed party"
            #expect(try await store.update(party, from: 1) == Versioned(party, version: 2))
            await #expect(throws: StorageError.self) { try await store.update(party, from: 1) }
            #expect(try await store.versionedParty(party.id, in: party.operationID) == Versioned(party, version: 2))
            var sector = try #require(demo.sectors.first { !$0.control.isEmpty })
            sector.control.removeLast()
            sector.population = nil
            #expect(try await store.update(sector, from: 1) == Versioned(sector, version: 2))
            #expect(try await store.versionedSector(sector.id, in: sector.operationID) == Versioned(sector, version: 2))

        case .corridorOverridesAreStored:
            try await load(demo, into: store, tallies: false)
            let corridor = demo.corridors[0]
            let override = StatusOverride(
                state: .blocked, from: instant("2016-10-21T09:00:00+03:00"),
                until: instant("2016-10-21T10:00:00+03:00"),
                reason: "Road cut by fighting", source: corridor.source)
            let updated = try await store.addOverride(override, to: corridor.id, in: corridor.operationID)
            #expect(updated.record.overrides == [override])
            #expect(updated.version == 2)
            #expect(try await store.versionedCorridor(corridor.id, in: corridor.operationID) == updated)

        case .anUpdateFromTheCurrentVersionRaisesIt:
            try await load(demo, into: store, tallies: false)
            var operation = demo.operations[0]
            operation.name = "Aleppo, autumn 2016"
            let updated = try await store.update(operation, from: 1)
            #expect(updated == Versioned(operation, version: 2))
            #expect(try await store.versionedOperation(operation.id) == updated)
            var corridor = demo.corridors[0]
            corridor.capacityPerHour = 750
            corridor.checkpoints = []
            let stored = try await store.update(corridor, from: 1)
            #expect(stored.version == 2)
            #expect(stored.record.capacityPerHour == 750)
            #expect(stored.record.checkpoints == demo.corridors[0].checkpoints)
            #expect(try await store.versionedCorridor(corridor.id, in: corridor.operationID) == stored)

        case .anUpdateFromAStaleVersionIsRefusedAndChangesNothing:
            try await load(demo, into: store, tallies: false)
            var corridor = demo.corridors[0]
            corridor.name = "First"
            _ = try await store.update(corridor, from: 1)
            corridor.name = "Second"
            await #expect(
                throws: StorageError.versionMismatch(kind: "corridor", id: corridor.id.description, current: 2)
            ) {
                try await store.update(corridor, from: 1)
            }
            #expect(try await store.corridor(corridor.id, in: corridor.operationID)?.name == "First")
            var unknown = corridor
            unknown.id = Corridor.ID()
            await #expect(throws: StorageError.notFound(kind: "corridor", id: unknown.id.description)) {
                try await store.update(unknown, from: 1)
            }

        case .ofTwoUpdatesFromOneVersionExactlyOneSucceeds:
            try await load(demo, into: store, tallies: false)
            for round in 0..<10 {
                let corridor = demo.corridors[round % demo.corridors.count]
                let version = try #require(try await store.versionedCorridor(corridor.id, in: corridor.operationID))
                    .version
                let results = await withTaskGroup(of: Bool.self) { group in
                    for client in 0..<2 {
                        group.addTask {
                            var edit = corridor
                            edit.name = "Edited by client \(client)"
                            return (try? await store.update(edit, from: version)) != nil
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1)
                #expect(
                    try await store.versionedCorridor(corridor.id, in: corridor.operationID)?.version == version + 1)
            }

        case .recordsSurviveClosingAndReopeningTheDatabase:
            try await load(demo, into: store)
            var logger = Logger(label: "couloir.tests")
            logger.logLevel = .warning
            let reopened = try DatabasePool(pool.location, logger: logger)
            let again = SQLRepository(pool: reopened)
            let counts = try await (again.operations().count, again.tallies(in: demo.operations[0].id).count)
            try await reopened.shutdown()
            #expect(counts.0 == demo.operations.count)
            #expect(counts.1 == demo.tallies.count)

        case .migratingTwiceChangesNothing:
            let migrator = Migrator(pool: pool)
            #expect(try await migrator.migrate(logger: Logger(label: "couloir.tests")) == [])
            #expect(try await migrator.currentVersion() == Migration.latestVersion)
            try await migrator.checkUpToDate()

        case .aDatabaseFromANewerVersionIsRefused:
            try await pool.withConnection { database in
                try await database.raw("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')")
                    .run()
            }
            let migrator = Migrator(pool: pool)
            let refusal = StorageError.databaseFromNewerVersion(found: 999, supported: Migration.latestVersion)
            await #expect(throws: refusal) { try await migrator.migrate(logger: Logger(label: "couloir.tests")) }
            await #expect(throws: refusal) { try await migrator.checkUpToDate() }
        }
    }

    /// The rollups hold exactly what the tallies that count add up to, quarter by quarter.
    private func expectRollups(
        of received: [Tally], in operationID: EvacuationOperation.ID, at checkpoints: [Checkpoint],
        store: some Storage
    ) async throws {
        let effective = Corrections.effective(received)
        var expected: [FlowKey: Int] = [:]
        for tally in effective { expected.merge(tally.flow, uniquingKeysWith: +) }
        let ids = checkpoints.map(\.id)
        let extent = try #require(try await store.flowExtent(in: operationID))
        let cells = try await store.flowCells(
            in: operationID, quarters: extent.lowerBound..<extent.upperBound.advanced(by: 1), checkpoints: ids)
        let stored = cells.filter { $0.value != 0 }
        let wrong = Set(stored.keys).union(expected.keys).filter { stored[$0] != expected[$0] }
        #expect(wrong.isEmpty, "\(wrong.count) of \(expected.count) cells differ")
        let totals = try await store.flowTotals(
            in: operationID, over: FlowSpan(from: nil, until: extent.upperBound.advanced(by: 1)), checkpoints: ids)
        #expect(totals.values.reduce(0, +) == effective.reduce(0) { $0 + $1.people })
        // Protection figures, kept the same way: what the counting tallies say, line by line.
        var protection: [ProtectionLine: Int] = [:]
        for tally in effective {
            for (measure, amount) in tally.protectionCounts {
                protection[
                    ProtectionLine(checkpointID: tally.checkpointID, direction: tally.direction, measure: measure),
                    default: 0] += amount
            }
        }
        let kept = try await store.protectionTotals(
            in: operationID, over: FlowSpan(from: nil, until: extent.upperBound.advanced(by: 1)), checkpoints: ids)
        #expect(kept.filter { $0.value != 0 } == protection.filter { $0.value != 0 })
        let basis = try await store.tallyBasis(in: operationID).values.reduce(TallyBasis(), +)
        #expect(basis.received == received.count)
        #expect(basis.effective == effective.count)
        #expect(basis.illustrative == effective.filter(\.source.illustrative).count)
    }

    private func byID<T: Identifiable>(_ a: T, _ b: T) -> Bool where T.ID: CustomStringConvertible {
        a.id.description < b.id.description
    }

    private func load(_ demo: DemoScenario, into store: some Storage, tallies: Bool = true) async throws {
        for operation in demo.operations { try await store.insert(operation) }
        for party in demo.parties { try await store.insert(party) }
        for sector in demo.sectors { try await store.insert(sector) }
        for corridor in demo.corridors { try await store.insert(corridor) }
        for pause in demo.pauses { try await store.insert(pause) }
        for incident in demo.incidents { try await store.insert(incident) }
        for claim in demo.claims { try await store.insert(claim) }
        if tallies {
            for tally in demo.tallies { #expect(try await store.submit(tally) == .created(tally)) }
        }
    }
}

func instant(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

@Suite("Repository contract on SQLite")
struct SQLiteRepositoryContractTests {
    @Test(arguments: RepositoryContract.allCases)
    func contract(_ behaviour: RepositoryContract) async throws {
        try await behaviour.run(on: .sqlite)
    }
}

@Suite(
    "Repository contract on PostgreSQL",
    .enabled(
        if: Backend.postgresURL != nil, "COULOIR_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against"))
struct PostgresRepositoryContractTests {
    @Test(arguments: RepositoryContract.allCases)
    func contract(_ behaviour: RepositoryContract) async throws {
        try await behaviour.run(on: .postgres)
    }
}
