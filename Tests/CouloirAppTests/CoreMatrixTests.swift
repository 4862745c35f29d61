import CouloirCore
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Testing

/// The authorization matrix asked of the core directly, with no HTTP in between: every
/// read and change of every kind of record, by every role, on a record in each relation
/// to the caller, and a creation in an operation of each relation, decided as
/// `Policy.table` says. Any face built on the core inherits exactly these decisions.
@Suite("Authorization matrix, asked of the core")
struct CoreMatrixTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case done, forbidden, hidden
        case other(String)

        var description: String {
            switch self {
            case .done: "done"
            case .forbidden: "forbidden"
            case .hidden: "hidden"
            case .other(let error): error
            }
        }
    }

    static func outcome(_ body: () async throws -> Void) async -> Outcome {
        do {
            try await body()
            return .done
        } catch CoreError.hidden {
            return .hidden
        } catch CoreError.forbidden, CoreError.forbiddenAction {
            return .forbidden
        } catch {
            return .other("\(error)")
        }
    }

    /// What the policy says of `action` on a record of `kind` in `relation` to `caller`.
    static func expected(_ action: Action, on kind: RecordKind, _ relation: Relation, for caller: Principal) -> Outcome
    {
        if caller.may(action, on: relation) { return .done }
        return caller.may(kind.readAction, on: relation) ? .forbidden : .hidden
    }

    @Test(arguments: Role.allCases)
    func everyActionOfTheCoreIsDecidedAsThePolicySays(_ role: Role) async throws {
        try await withDemoServer { _, store in try await Self.check(role, on: store) }
    }

    @Test(
        .enabled(if: postgresURL != nil, "COULOIR_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against"),
        arguments: Role.allCases)
    func everyActionOfTheCoreIsDecidedAsThePolicySaysOnPostgreSQL(_ role: Role) async throws {
        try await withFreshPostgres { store in try await Self.check(role, on: store) }
    }

    static func check(_ role: Role, on store: SQLRepository) async throws {
        do {
            let world = try await World.make(for: role, in: store)
            let core = Core(store: store, now: { Date(timeIntervalSince1970: 1_477_000_000) })
            let caller = world.caller
            var cells = 0
            func check(_ what: String, _ expected: Outcome, _ body: () async throws -> Void) async {
                let actual = await Self.outcome(body)
                #expect(actual == expected, "\(role): \(what)")
                cells += 1
            }
            let source = Source(name: "Matrix", kind: .coordinator)
            for relation in Relation.allCases {
                let home = world.operations[relation == .nonMember ? .nonMember : .own]!
                let ids = world.records[relation]!
                let party = Party.ID(ids[.party]!)!
                let sector = Sector.ID(ids[.sector]!)!
                let corridor = Corridor.ID(ids[.corridor]!)!
                let checkpoint = Checkpoint.ID(ids[.checkpoint]!)!
                let pause = Pause.ID(ids[.pause]!)!
                let incident = Incident.ID(ids[.incident]!)!
                let claim = Claim.ID(ids[.claim]!)!
                func read(_ kind: RecordKind, _ body: () async throws -> Void) async {
                    await check(
                        "read \(kind) (\(relation))", Self.expected(kind.readAction, on: kind, relation, for: caller),
                        body)
                }
                func change(_ action: Action, _ kind: RecordKind, _ body: () async throws -> Void) async {
                    await check(
                        "\(action) \(kind) (\(relation))", Self.expected(action, on: kind, relation, for: caller), body)
                }
                await read(.party) { _ = try await core.party(party, in: home, as: caller) }
                await read(.sector) { _ = try await core.sector(sector, in: home, as: caller) }
                await read(.corridor) { _ = try await core.corridor(corridor, in: home, at: core.now(), as: caller) }
                await read(.checkpoint) { _ = try await core.checkpoint(checkpoint, in: home, as: caller) }
                await read(.pause) { _ = try await core.pause(pause, in: home, as: caller) }
                await read(.incident) { _ = try await core.incident(incident, in: home, as: caller) }
                await read(.claim) { _ = try await core.claim(claim, in: home, as: caller) }

                await change(.editPlan, .party) {
                    let stored = try #require(try await store.versionedParty(party, in: home))
                    _ = try await core.update(
                        party: party, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.editPlan, .sector) {
                    let stored = try #require(try await store.versionedSector(sector, in: home))
                    _ = try await core.update(
                        sector: sector, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.editPlan, .corridor) {
                    let stored = try #require(try await store.versionedCorridor(corridor, in: home))
                    _ = try await core.update(
                        corridor: corridor, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.editPlan, .corridor) {
                    let closure = StatusOverride(
                        state: .closed, from: core.now(), until: nil, reason: "Matrix", source: source)
                    _ = try await core.add(closure, to: corridor, in: home, as: caller)
                }
                await change(.editPlan, .checkpoint) {
                    let stored = try #require(try await store.versionedCheckpoint(checkpoint, in: home))
                    _ = try await core.update(
                        checkpoint: checkpoint, in: home, to: stored.record.checkpoint,
                        expecting: ExpectedVersions([stored.version]), as: caller)
                }
                await change(.managePause, .pause) {
                    let stored = try #require(try await store.versionedPause(pause, in: home))
                    _ = try await core.update(
                        pause: pause, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.managePause, .pause) {
                    let step = PauseStep(to: .agreed, at: nil, actor: "Matrix", reason: "Matrix", source: source)
                    _ = try await core.move(pause: pause, in: home, step, as: caller)
                }
                await change(.reportIncident, .incident) {
                    let stored = try #require(try await store.versionedIncident(incident, in: home))
                    _ = try await core.update(
                        incident: incident, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.verifyReport, .incident) {
                    let step = VerificationStep(to: .corroborated, at: nil, reason: "Matrix", source: source)
                    _ = try await core.verify(incident: incident, in: home, step, as: caller)
                }
                await change(.recordClaim, .claim) {
                    let stored = try #require(try await store.versionedClaim(claim, in: home))
                    _ = try await core.update(
                        claim: claim, in: home, to: stored.record, expecting: ExpectedVersions([stored.version]),
                        as: caller)
                }
                await change(.verifyReport, .claim) {
                    let step = VerificationStep(to: .corroborated, at: nil, reason: "Matrix", source: source)
                    _ = try await core.verify(claim: claim, in: home, step, as: caller)
                }

                // Making a record in an operation of this relation.
                let operation = world.operations[relation]!
                let seen = caller.may(.readPlan, on: relation)
                func create(_ action: Action, _ body: () async throws -> Void) async {
                    let expected: Outcome = !seen ? .hidden : caller.may(action, on: .own) ? .done : .forbidden
                    await check("create for \(action) in a \(relation) operation", expected, body)
                }
                await create(.editPlan) {
                    _ = try await core.create(Party(operationID: operation, name: "Made", kind: .ngo), as: caller)
                }
                await create(.recordClaim) {
                    let claim = Claim(
                        operationID: operation, kind: .statement, value: nil, statement: "Said",
                        madeAt: core.now(), partyID: nil, source: source)
                    _ = try await core.record(claim, as: caller)
                }
            }
            #expect(cells == 20 * Relation.allCases.count)
            // Lists hold nothing the caller may not read.
            let listed = Set(try await core.parties(in: world.operations[.own]!, as: caller).map(\.id.description))
            for relation in Relation.allCases where relation != .nonMember {
                let party = world.records[relation]![.party]!
                #expect(listed.contains(party) == caller.may(.readPlan, on: relation), "\(role): list, \(relation)")
            }
        }
    }
}
