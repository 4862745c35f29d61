import CouloirDomain
public import CouloirStorage
import SQLKit

/// The `record_owners` table.
enum Ownership {
    static func record(_ key: RecordKey, in operationID: String, owner: RecordOwner, on database: any SQLDatabase)
        async throws
    {
        try await database.insert(into: "record_owners")
            .columns("kind", "record_id", "operation_id", "organisation_id", "actor")
            .values(
                SQLBind(key.kind.rawValue), SQLBind(key.id), SQLBind(operationID),
                SQLBind(owner.organisationID.description), SQLBind(owner.actor.description)
            )
            .run()
    }

    /// The owner a row of `record_owners` names.
    static func owner(in row: any SQLRow) throws -> RecordOwner? {
        guard let organisation = Organisation.ID(try row.string("organisation_id")),
            let actor = Actor(try row.string("actor"))
        else { return nil }
        return RecordOwner(organisationID: organisation, actor: actor)
    }
}

extension SQLRepository: OwnershipRepository {
    func loadOwners(in operationID: EvacuationOperation.ID) async throws -> [RecordKey: RecordOwner] {
        let rows = try await pool.withConnection { database in
            try await database.select().columns("kind", "record_id", "organisation_id", "actor")
                .from("record_owners").where("operation_id", .equal, operationID.description).all()
        }
        var owners: [RecordKey: RecordOwner] = [:]
        for row in rows {
            guard let kind = RecordKind(rawValue: try row.string("kind")), let owner = try Ownership.owner(in: row)
            else { continue }
            owners[RecordKey(kind, try row.string("record_id"))] = owner
        }
        return owners
    }

    func loadOperationOwners() async throws -> [EvacuationOperation.ID: RecordOwner] {
        let rows = try await pool.withConnection { database in
            try await database.select().columns("record_id", "organisation_id", "actor")
                .from("record_owners").where("kind", .equal, RecordKind.operation.rawValue).all()
        }
        var owners: [EvacuationOperation.ID: RecordOwner] = [:]
        for row in rows {
            guard let id = EvacuationOperation.ID(try row.string("record_id")), let owner = try Ownership.owner(in: row)
            else { continue }
            owners[id] = owner
        }
        return owners
    }
}
