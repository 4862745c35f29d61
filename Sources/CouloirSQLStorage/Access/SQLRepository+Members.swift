public import CouloirDomain
public import CouloirStorage
import Foundation
import SQLKit

extension Membership: AuditedResult {
    /// How the audit log names a membership.
    static let auditKind = "member"

    var auditedRecord: Membership { self }
}

extension SQLRepository: MembershipRepository {
    public func members(of operationID: EvacuationOperation.ID) async throws -> Set<Organisation.ID> {
        try await plans.read(.members, of: operationID) {
            try await pool.withConnection { database in
                Set(
                    try await database.select().column("organisation_id").from("operation_members")
                        .where("operation_id", .equal, operationID.description).all()
                        .map { try $0.id("organisation_id") })
            }
        }
    }

    public func memberships() async throws -> [EvacuationOperation.ID: Set<Organisation.ID>] {
        try await plans.read(.memberships, of: nil) {
            try await pool.withConnection { database in
                var members: [EvacuationOperation.ID: Set<Organisation.ID>] = [:]
                for row in try await database.select().columns("operation_id", "organisation_id")
                    .from("operation_members").all()
                {
                    members[try row.id("operation_id"), default: []].insert(try row.id("organisation_id"))
                }
                return members
            }
        }
    }

    public func memberList(of operationID: EvacuationOperation.ID) async throws -> [Member] {
        try await pool.withConnection { database in
            try await database.raw(
                """
                SELECT g.id, g.name, m.since FROM operation_members m JOIN organisations g ON g.id = m.organisation_id
                WHERE m.operation_id = \(bind: operationID.description) ORDER BY g.name, g.id
                """
            ).all().map { row in
                Member(
                    organisation: Organisation(id: try row.id("id"), name: try row.string("name")),
                    since: try row.date("since"))
            }
        }
    }

    public func addMember(_ organisationID: Organisation.ID, to operationID: EvacuationOperation.ID) async throws
        -> Membership
    {
        let membership = Membership(
            operationID: operationID, organisationID: organisationID, since: Columns.stored(now()))
        try await audited(creating: membership, Membership.auditKind, operation: operationID) { database in
            for (table, id) in [("operations", operationID.description), ("organisations", organisationID.description)]
            {
                guard try await database.select().column("id").from(table).where("id", .equal, id).first() != nil
                else { throw StorageError.notFound(kind: table == "operations" ? "operation" : "organisation", id: id) }
            }
            let inserted = try await insertOnce(
                into: "operation_members", key: ["operation_id", "organisation_id"],
                values: [
                    "operation_id": operationID.description, "organisation_id": organisationID.description,
                    "since": Columns.millis(membership.since),
                ], on: database)
            guard inserted else { throw StorageError.duplicate(kind: "member", key: membership.id) }
        }
        return membership
    }

    public func removeMember(_ organisationID: Organisation.ID, from operationID: EvacuationOperation.ID) async throws {
        _ = try await audited("remove", Membership.auditKind, operation: operationID) { database in
            guard
                let row = try await database.select().column("since").from("operation_members")
                    .where("operation_id", .equal, operationID.description)
                    .where("organisation_id", .equal, organisationID.description).first()
            else { throw StorageError.notFound(kind: "member", id: organisationID.description) }
            // Counted in the removal's transaction, so two removals racing cannot leave none.
            let members = try await database.select().column("organisation_id").from("operation_members")
                .where("operation_id", .equal, operationID.description).all()
            guard members.count > 1 else {
                throw DomainError.conflict(
                    "an operation keeps at least one member: add another before removing this one")
            }
            try await database.delete(from: "operation_members")
                .where("operation_id", .equal, operationID.description)
                .where("organisation_id", .equal, organisationID.description).run()
            return Membership(operationID: operationID, organisationID: organisationID, since: try row.date("since"))
        }
    }
}
