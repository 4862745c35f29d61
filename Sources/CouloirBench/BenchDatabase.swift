import CouloirAccess
import CouloirCore
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Logging

/// A fresh SQLite file holding the Aleppo demo's records but none of its tallies.
struct BenchDatabase {
    let path: String
    let pool: DatabasePool
    let store: SQLRepository
    let operationID: EvacuationOperation.ID
    let checkpoints: [Checkpoint.ID]

    static func create(at path: String, logger: Logger) async throws -> BenchDatabase {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let database = try await open(at: path, logger: logger)
        try await DemoLoader.load(DemoScenario.aleppo2016(), into: database.store, tallies: false, logger: logger)
        return database
    }

    /// A database `create` made earlier; the demo's ids are the same on every run.
    static func open(at path: String, logger: Logger) async throws -> BenchDatabase {
        let pool = try DatabasePool(DatabaseLocation(path), logger: logger)
        try await Migrator(pool: pool).migrate(logger: logger)
        let store = SQLRepository(pool: pool)
        let scenario = DemoScenario.aleppo2016()
        let operation = scenario.operations[0]
        let checkpoints = scenario.corridors.filter { $0.operationID == operation.id }.flatMap(\.checkpoints)
        return BenchDatabase(
            path: path, pool: pool, store: store, operationID: operation.id, checkpoints: checkpoints.map(\.id))
    }

    /// A new token's secret for the demo's field team: a phone counting at every
    /// checkpoint of the operation.
    func phoneToken() async throws -> String {
        try await token(role: .monitor, assignment: Assignment(checkpointIDs: checkpoints))
    }

    /// A new token's secret for a coordinator's script reading figures.
    func scriptToken() async throws -> String {
        try await token(role: .coordinator, assignment: Assignment())
    }

    /// A coordinator who signs in to the pages, with a password made for this run.
    func pageUser() async throws -> (login: String, password: String) {
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.fieldTeam).organisation
        let login = "bench.\(UUID().uuidString.prefix(8).lowercased())"
        let password = GeneratedPassword.make()
        try await store.insert(
            User(organisationID: organisation.id, login: login, role: .coordinator),
            passwordHash: try await PasswordHasher(cost: 4).hash(password))
        return (login, password)
    }

    private func token(role: Role, assignment: Assignment) async throws -> String {
        let organisation = try await store.findOrAddOrganisation(named: DemoLoader.fieldTeam).organisation
        return try await store.issue(
            AccessToken(
                organisationID: organisation.id, label: "couloir bench", role: role, assignment: assignment,
                issuedAt: Date()))
    }

    func tallies(seed: UInt64) -> BenchTallies {
        BenchTallies(operationID: operationID, checkpoints: checkpoints, seed: seed)
    }

    func close() async throws {
        try await pool.shutdown()
    }
}

extension Array {
    func batches(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
