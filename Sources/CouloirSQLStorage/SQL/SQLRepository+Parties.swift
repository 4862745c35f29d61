public import CouloirDomain
public import CouloirStorage
import SQLKit

extension SQLRepository: PartyRepository {
    public func insert(_ party: Party) async throws {
        try party.validate()
        try await audited(creating: party, "party", operation: party.operationID) { database in
            _ = try await index(of: party.operationID, on: database)
            var values = Self.describingColumns(of: party)
            values["id"] = party.id.description
            values["operation_id"] = party.operationID.description
            guard try await insertOnce(into: "parties", key: ["id"], values: values, on: database) else {
                throw StorageError.duplicate(kind: "party", key: party.id.description)
            }
        }
    }

    func loadParties(in operationID: EvacuationOperation.ID) async throws -> [Party] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("parties")
                .where("operation_id", .equal, operationID.description).orderBy("name").orderBy("id").all()
                .map { try Self.party(from: $0).record }
        }
    }

    public func versionedParty(_ id: Party.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Party>?
    {
        try await pool.withConnection { database in
            try await database.select().column("*").from("parties")
                .where("id", .equal, id.description).where("operation_id", .equal, operationID.description)
                .first().map(Self.party(from:))
        }
    }

    public func update(_ party: Party, from version: Int) async throws -> Versioned<Party> {
        try party.validate()
        return try await audited("update", "party", operation: party.operationID) {
            database in
            let next = try await updateGuarded(
                "parties", kind: "party", id: party.id.description, operationID: party.operationID.description,
                from: version, set: Self.describingColumns(of: party), on: database)
            return Versioned(party, version: next)
        }
    }

    private static func describingColumns(of party: Party) -> [String: any Encodable & Sendable] {
        ["name": party.name, "kind": party.kind.rawValue]
    }

    private static func party(from row: any SQLRow) throws -> Versioned<Party> {
        Versioned(
            Party(
                id: try row.id("id"), operationID: try row.id("operation_id"), name: try row.string("name"),
                kind: try row.enumeration("kind", as: PartyKind.self)),
            version: try row.int("version"))
    }
}
