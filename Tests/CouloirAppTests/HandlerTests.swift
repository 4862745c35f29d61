import CouloirCore
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging
import Testing

@testable import CouloirAPI
@testable import CouloirApp

/// Runs `body` with the API's handler over a fresh SQLite file holding the demo, called
/// through the generated `APIProtocol` with no HTTP in between.
func withHandler(
    _ body: @Sendable (APIHandler<SQLRepository>, SQLRepository) async throws -> Void
) async throws {
    var logger = Logger(label: "couloir.tests")
    logger.logLevel = .warning
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-api-\(UUID()).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let pool = try DatabasePool(.sqlite(path: path), logger: logger)
    do {
        try await Migrator(pool: pool).migrate(logger: logger)
        let store = SQLRepository(pool: pool)
        try await DemoLoader.load(DemoScenario.aleppo2016(), into: store, logger: logger)
        let now = Date(timeIntervalSince1970: 1_477_000_000)  // 2016-10-21, during the demo's pause
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.coordination).organisation
        let admin = Principal(actor: .user(User.ID()), organisationID: organisation.id, role: .admin)
        try await RequestPrincipal.$current.withValue(admin) {
            try await body(APIHandler(core: Core(store: store, now: { now })), store)
        }
        try await pool.shutdown()
    } catch {
        try? await pool.shutdown()
        throw error
    }
}

let aleppo = "81a1e60b-caec-4727-b4fc-5ece7f5570d0"
let cell = Components.Schemas.Source(name: "Coordination cell", kind: .coordinator)

@Suite("API handlers, called through APIProtocol")
struct HandlerTests {
    @Test func pagesOfEveryListHoldEachRecordOnceEvenWhenRecordsAreAddedBetweenPages() async throws {
        try await withHandler { handler, store in
            let operationID = try #require(EvacuationOperation.ID(aleppo))
            var seen: [String] = []
            var cursor: String?
            var added = false
            repeat {
                let output = try await handler.listClaims(
                    .init(path: .init(operationId: aleppo), query: .init(limit: 2, cursor: cursor)))
                let page = try output.ok.body.json
                #expect(page.items.count <= 2)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
                if !added {
                    // A claim made before every other is added after the first page: the
                    // walk goes on after the last record it handed out, repeating none.
                    try await store.insert(
                        Claim(
                            operationID: operationID, kind: .statement, statement: "Earlier",
                            madeAt: Date(timeIntervalSince1970: 0), source: Source(name: "Press", kind: .press)))
                    added = true
                }
            } while cursor != nil
            let claims = try await store.claims(in: operationID)
            #expect(Set(seen).count == seen.count)
            #expect(seen.count == claims.count - 1)
            #expect(!seen.contains(claims.first { $0.statement == "Earlier" }!.id.description))
        }
    }

    @Test func sortKeysOfInstantsCompareAsTheInstantsDo() throws {
        let instants = try [
            "0000-01-01T00:00:00Z", "0001-06-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z",
            "2016-10-20T08:00:00+03:00", "2016-10-20T08:00:00.001+03:00", "9999-12-31T23:59:59.999Z",
        ].map { try #require(UTCText.date($0)) }
        let keys = instants.map(SortKey.instant)
        #expect(keys == keys.sorted())
        #expect(Set(keys).count == keys.count)
    }

    @Test func aCursorFromAnotherListOrForgedIsRefused() async throws {
        try await withHandler { handler, _ in
            let sectors = try await handler.listSectors(
                .init(path: .init(operationId: aleppo), query: .init(limit: 1))
            ).ok.body.json
            let cursor = try #require(sectors.nextCursor)
            await #expect(throws: StorageError.invalidCursor) {
                _ = try await handler.listParties(.init(path: .init(operationId: aleppo), query: .init(cursor: cursor)))
            }
            await #expect(throws: StorageError.invalidCursor) {
                _ = try await handler.listSectors(.init(path: .init(operationId: aleppo), query: .init(cursor: "0")))
            }
            await #expect(throws: BadParameter.self) {
                _ = try await handler.listSectors(.init(path: .init(operationId: aleppo), query: .init(limit: 201)))
            }
        }
    }

    @Test func filtersKeepOnlyTheMatchingRecords() async throws {
        try await withHandler { handler, _ in
            let at = try Date("2016-10-20T10:00:00+03:00", strategy: .iso8601)
            let open = try await handler.listCorridors(
                .init(path: .init(operationId: aleppo), query: .init(at: at, status: .open, group: .fighters))
            ).ok.body.json
            #expect(open.items.map(\.code) == ["F1", "F2"])
            let closed = try await handler.listCorridors(
                .init(path: .init(operationId: aleppo), query: .init(at: at, status: .closed))
            ).ok.body.json
            #expect(closed.items.isEmpty)
            let unverified = try await handler.listClaims(
                .init(path: .init(operationId: aleppo), query: .init(kind: .controlShare))
            ).ok.body.json
            #expect(!unverified.items.isEmpty && unverified.items.allSatisfy { $0.kind == .controlShare })
            let none = try await handler.listIncidents(
                .init(
                    path: .init(operationId: aleppo),
                    query: .init(from: Date(timeIntervalSince1970: 0), until: Date(timeIntervalSince1970: 1))))
            #expect(try none.ok.body.json.items.isEmpty)
        }
    }

    @Test func aPauseMovesThroughItsLifecycleAndAnIllegalStepChangesNothing() async throws {
        try await withHandler { handler, store in
            let corridors = try await handler.listCorridors(.init(path: .init(operationId: aleppo)))
            let corridorID = try #require(try corridors.ok.body.json.items.first?.id)
            let created = try await handler.createPause(
                .init(
                    path: .init(operationId: aleppo),
                    body: .json(
                        .init(
                            name: "November pause",
                            windows: [
                                .daily(
                                    .init(
                                        kind: .daily, firstDay: "2016-11-04", lastDay: "2016-11-06", opens: "09:00",
                                        closes: "19:00"))
                            ],
                            corridorIds: [corridorID], proposedAt: Date(timeIntervalSince1970: 1_476_900_000),
                            source: cell)))
            ).created
            let pause = try created.body.json
            #expect(pause.state == .proposed && created.headers.eTag == "\"1\"")
            func step(_ to: Components.Schemas.PauseState) async throws -> Operations.TransitionPause.Output {
                try await handler.transitionPause(
                    .init(
                        path: .init(operationId: aleppo, pauseId: pause.id),
                        body: .json(.init(to: to, actor: "Mediator", reason: "Talks", source: cell))))
            }
            let agreed = try await step(.agreed).created
            #expect(try agreed.body.json.state == .agreed && agreed.headers.eTag == "\"2\"")
            await #expect(throws: DomainError.illegalTransition(from: .agreed, to: .suspended)) {
                _ = try await step(.suspended)
            }
            let stored = try #require(
                try await store.versionedPause(Pause.ID(pause.id)!, in: EvacuationOperation.ID(aleppo)!))
            #expect(stored.version == 2 && stored.record.history.map(\.to) == [.agreed])
        }
    }

    @Test func anUpdateWithoutIfMatchOrFromAStaleVersionChangesNothing() async throws {
        try await withHandler { handler, store in
            let parties = try await handler.listParties(.init(path: .init(operationId: aleppo))).ok.body.json
            let party = try #require(parties.items.first)
            let edit = Operations.UpdateParty.Input(
                path: .init(operationId: aleppo, partyId: party.id),
                body: .json(.init(name: "Renamed", kind: party.kind)))
            await #expect(throws: CoreError.versionRequired) { _ = try await handler.updateParty(edit) }
            var stale = edit
            stale.headers.ifMatch = "\"7\""
            await #expect(throws: CoreError.stale(kind: "party", current: 1)) {
                _ = try await handler.updateParty(stale)
            }
            var any = edit
            any.headers.ifMatch = "*"
            await #expect(throws: CoreError.stale(kind: "party", current: 1)) { _ = try await handler.updateParty(any) }
            let id = try #require(Party.ID(party.id))
            #expect(try await store.versionedParty(id, in: EvacuationOperation.ID(aleppo)!)?.record.name == party.name)
            var current = edit
            current.headers.ifMatch = "\"1\""
            let updated = try await handler.updateParty(current).ok
            #expect(try updated.body.json.name == "Renamed" && updated.headers.eTag == "\"2\"")
        }
    }

    @Test func aRetractedClaimStaysWithItsReason() async throws {
        try await withHandler { handler, _ in
            let claims = try await handler.listClaims(.init(path: .init(operationId: aleppo))).ok.body.json
            let claim = try #require(claims.items.first)
            let retracted = try await handler.verifyClaim(
                .init(
                    path: .init(operationId: aleppo, claimId: claim.id),
                    body: .json(.init(status: .retracted, reason: "Withdrawn by its source", source: cell)))
            ).created.body.json
            #expect(retracted.verification == .retracted)
            #expect(retracted.verificationHistory.map(\.reason) == ["Withdrawn by its source"])
            let listed = try await handler.listClaims(
                .init(path: .init(operationId: aleppo), query: .init(verification: .retracted))
            ).ok.body.json
            #expect(listed.items.map(\.id) == [claim.id])
        }
    }

    @Test func aCheckpointOnACorridorOutsideTheOperationIsRefusedByName() async throws {
        try await withHandler { handler, store in
            let stray = Corridor.ID()
            let before = try await store.checkpoints(in: EvacuationOperation.ID(aleppo)!).count
            await #expect(
                throws: DomainError.invalid([FieldIssue("/corridorId", "no corridor \(stray) in this operation")])
            ) {
                _ = try await handler.createCheckpoint(
                    .init(
                        path: .init(operationId: aleppo),
                        body: .json(
                            .init(
                                corridorId: stray.description, name: "Stray",
                                location: .init(_type: .point, coordinates: [37.1, 36.2])))))
            }
            #expect(try await store.checkpoints(in: EvacuationOperation.ID(aleppo)!).count == before)
        }
    }
}
