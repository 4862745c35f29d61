public import CouloirDomain
public import CouloirStorage
public import Foundation
import SQLKit

extension SQLRepository: IdentityRepository {
    public func insert(_ organisation: Organisation) async throws {
        try organisation.validate()
        try await audited(creating: organisation, "organisation", operation: nil) { database in
            let taken = try await database.select().column("id").from("organisations")
                .where("name", .equal, organisation.name).first()
            guard
                taken == nil,
                try await insertOnce(
                    into: "organisations", key: ["id"],
                    values: ["id": organisation.id.description, "name": organisation.name], on: database)
            else { throw StorageError.duplicate(kind: "organisation", key: organisation.name) }
        }
    }

    public func organisation(named name: String) async throws -> Organisation? {
        try await pool.withConnection { database in
            try await database.select().column("*").from("organisations").where("name", .equal, name).first()
                .map(Self.organisation(from:))
        }
    }

    public func organisations() async throws -> [Organisation] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("organisations").orderBy("name").all()
                .map(Self.organisation(from:))
        }
    }

    public func insert(_ user: User, passwordHash: String) async throws {
        try user.validate()
        try await audited(creating: user, "user", operation: nil) { database in
            try await requireOrganisation(user.organisationID, on: database)
            let taken = try await database.select().column("id").from("users")
                .where("login", .equal, user.login).first()
            guard
                taken == nil,
                try await insertOnce(
                    into: "users", key: ["id"],
                    values: [
                        "id": user.id.description, "organisation_id": user.organisationID.description,
                        "login": user.login, "role": user.role.rawValue,
                        "assignment": try Columns.json(user.assignment), "password_hash": passwordHash,
                        "disabled": user.disabled ? 1 : 0,
                    ], on: database)
            else { throw StorageError.duplicate(kind: "user", key: user.login) }
        }
    }

    public func user(login: String) async throws -> StoredUser? {
        try await pool.withConnection { database in
            try await database.select().column("*").from("users").where("login", .equal, login).first()
                .map(Self.user(from:))
        }
    }

    public func user(_ id: User.ID) async throws -> StoredUser? {
        try await pool.withConnection { database in
            try await database.select().column("*").from("users").where("id", .equal, id.description).first()
                .map(Self.user(from:))
        }
    }

    public func users(of organisationID: Organisation.ID) async throws -> [StoredUser] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("users")
                .where("organisation_id", .equal, organisationID.description).orderBy("login").all()
                .map(Self.user(from:))
        }
    }

    public func setDisabled(_ disabled: Bool, user id: User.ID) async throws -> StoredUser {
        try await audited(disabled ? "disable" : "enable", "user", operation: nil) { database in
            // A disabled user's sessions end with the change.
            if disabled { try await database.delete(from: "sessions").where("user_id", .equal, id.description).run() }
            let row = try await database.update("users").set("disabled", to: SQLBind(disabled ? 1 : 0))
                .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, id.description).returning("*").first()
            guard let row else { throw StorageError.notFound(kind: "user", id: id.description) }
            return try Self.user(from: row)
        }
    }

    public func setPasswordHash(_ passwordHash: String, user id: User.ID) async throws -> StoredUser {
        try await audited("password", "user", operation: nil) { database in
            let row = try await database.update("users").set("password_hash", to: SQLBind(passwordHash))
                .set(SQLColumn("version"), to: SQLBinaryExpression(SQLColumn("version"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, id.description).returning("*").first()
            guard let row else { throw StorageError.notFound(kind: "user", id: id.description) }
            return try Self.user(from: row)
        }
    }

    public func insert(_ token: AccessToken, secretDigest: String) async throws {
        try token.validate()
        try await audited(creating: token, "token", operation: nil) { database in
            try await requireOrganisation(token.organisationID, on: database)
            let inserted = try await insertOnce(
                into: "access_tokens", key: ["id"],
                values: [
                    "id": token.id.description, "organisation_id": token.organisationID.description,
                    "label": token.label, "role": token.role.rawValue,
                    "assignment": try Columns.json(token.assignment), "secret_digest": secretDigest,
                    "issued_at": Columns.millis(token.issuedAt),
                    "revoked_at": token.revokedAt.map(Columns.millis),
                ], on: database)
            guard inserted else { throw StorageError.duplicate(kind: "token", key: token.id.description) }
        }
    }

    public func token(secretDigest: String) async throws -> StoredToken? {
        try await pool.withConnection { try await token(where: "secret_digest", equals: secretDigest, on: $0) }
    }

    public func tokens(of organisationID: Organisation.ID) async throws -> [StoredToken] {
        try await pool.withConnection { database in
            try await database.select().column("*").from("access_tokens")
                .where("organisation_id", .equal, organisationID.description)
                .orderBy("issued_at", .descending).orderBy("id").all().map(Self.token(from:))
        }
    }

    public func revoke(_ id: AccessToken.ID, at instant: Date) async throws -> StoredToken {
        // Revoking a revoked token changes nothing, and writes no audit entry.
        let current = try await pool.withConnection { try await token(where: "id", equals: id.description, on: $0) }
        guard let current else { throw StorageError.notFound(kind: "token", id: id.description) }
        if current.token.revokedAt != nil { return current }
        return try await audited("revoke", "token", operation: nil) { database in
            try await database.update("access_tokens").set("revoked_at", to: SQLBind(Columns.millis(instant)))
                .where("id", .equal, id.description).where(SQLColumn("revoked_at"), .is, SQLLiteral.null).run()
            guard let stored = try await token(where: "id", equals: id.description, on: database) else {
                throw StorageError.notFound(kind: "token", id: id.description)
            }
            return stored
        }
    }

    private func token(where column: String, equals value: String, on database: any SQLDatabase) async throws
        -> StoredToken?
    {
        try await database.select().column("*").from("access_tokens").where(SQLColumn(column), .equal, SQLBind(value))
            .first().map(Self.token(from:))
    }

    public func recordUse(of id: AccessToken.ID, at instant: Date) async throws {
        try await pool.write { database in
            try await database.update("access_tokens").set("last_used_at", to: SQLBind(Columns.millis(instant)))
                .where("id", .equal, id.description).run()
        }
    }

    private func requireOrganisation(_ id: Organisation.ID, on database: any SQLDatabase) async throws {
        guard
            try await database.select().column("id").from("organisations").where("id", .equal, id.description)
                .first() != nil
        else { throw StorageError.notFound(kind: "organisation", id: id.description) }
    }

    private static func organisation(from row: any SQLRow) throws -> Organisation {
        Organisation(id: try row.id("id"), name: try row.string("name"))
    }

    private static func user(from row: any SQLRow) throws -> StoredUser {
        StoredUser(
            user: User(
                id: try row.id("id"), organisationID: try row.id("organisation_id"), login: try row.string("login"),
                role: try row.enumeration("role", as: Role.self),
                assignment: try row.json("assignment", as: Assignment.self), disabled: try row.int("disabled") != 0),
            passwordHash: try row.string("password_hash"), version: try row.int("version"))
    }

    private static func token(from row: any SQLRow) throws -> StoredToken {
        StoredToken(
            token: AccessToken(
                id: try row.id("id"), organisationID: try row.id("organisation_id"), label: try row.string("label"),
                role: try row.enumeration("role", as: Role.self),
                assignment: try row.json("assignment", as: Assignment.self), issuedAt: try row.date("issued_at"),
                revokedAt: try row.optionalDate("revoked_at")),
            lastUsedAt: try row.optionalDate("last_used_at"))
    }
}
