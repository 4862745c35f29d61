public import CouloirDomain
public import CouloirStorage
public import Foundation
import SQLKit

extension SQLRepository: SessionRepository {
    public func insert(_ session: Session, tokenDigest: String) async throws {
        try await pool.write { database in
            try await database.insert(into: "sessions")
                .columns("token_digest", "user_id", "csrf_token", "created_at", "last_seen_at")
                .values(
                    SQLBind(tokenDigest), SQLBind(session.userID.description), SQLBind(session.csrfToken),
                    SQLBind(Columns.millis(session.createdAt)), SQLBind(Columns.millis(session.lastSeenAt))
                )
                .run()
        }
    }

    public func session(tokenDigest: String) async throws -> Session? {
        try await pool.withConnection { database in
            guard
                let row = try await database.select().column("*").from("sessions")
                    .where("token_digest", .equal, tokenDigest).first()
            else { return nil }
            return Session(
                userID: try row.id("user_id"), csrfToken: try row.string("csrf_token"),
                createdAt: try row.date("created_at"), lastSeenAt: try row.date("last_seen_at"))
        }
    }

    public func touch(tokenDigest: String, at instant: Date) async throws {
        try await pool.write { database in
            try await database.update("sessions").set("last_seen_at", to: SQLBind(Columns.millis(instant)))
                .where("token_digest", .equal, tokenDigest).run()
        }
    }

    public func deleteSession(tokenDigest: String) async throws {
        try await pool.write { database in
            try await database.delete(from: "sessions").where("token_digest", .equal, tokenDigest).run()
        }
    }
}
