import CouloirAudit
import CouloirCore
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Operations have members: only the people of the organisations taking part reach one,
/// and a member organisation's administrator adds and removes them.
@Suite("Operation members")
struct MembershipRoutesTests {
    static let aleppo = ResourceRoutesTests.operation

    struct Members: Decodable {
        struct Item: Decodable {
            let organisationId: String
            let organisation: String
        }
        let items: [Item]
    }

    func token(_ role: Role, of organisation: String, in store: SQLRepository) async throws -> String {
        let owner = try await store.findOrAddOrganisation(named: organisation).organisation
        return try await store.issue(
            AccessToken(organisationID: owner.id, label: "\(role)", role: role, issuedAt: Date()))
    }

    @Test func aMemberOrganisationsAdminLetsAnotherInAndOutAndEachChangeIsAudited() async throws {
        try await withDemoServer { admin, store in
            let listed = try JSONDecoder().decode(
                Members.self, from: try await admin.json(Self.aleppo + "/members", .get).body)
            #expect(
                Set(listed.items.map(\.organisation))
                    == [DemoLoader.coordination, DemoLoader.fieldTeam, DemoLoader.delegation])
            let homs = admin.with(secret: try await token(.admin, of: DemoLoader.secondCell, in: store))
            #expect(try await homs.json(Self.aleppo, .get).status == .notFound)
            #expect(
                try await homs.json(Self.aleppo + "/members", .post, #"{"organisation":"\#(DemoLoader.secondCell)"}"#)
                    .status == .notFound, "an outsider cannot let itself in")

            let coordinator = admin.with(secret: try await token(.coordinator, of: DemoLoader.coordination, in: store))
            let body = #"{"organisation":"\#(DemoLoader.secondCell)"}"#
            #expect(try await coordinator.json(Self.aleppo + "/members", .post, body).status == .forbidden)
            let added = try await admin.json(Self.aleppo + "/members", .post, body)
            #expect(added.status == .created)
            #expect(try await admin.json(Self.aleppo + "/members", .post, body).status == .conflict)
            #expect(try await homs.json(Self.aleppo, .get).status == .ok, "a member's admin reaches the operation")
            let homsID = try JSONDecoder().decode(Members.Item.self, from: added.body).organisationId
            #expect(try await admin.json(Self.aleppo + "/members/\(homsID)", .delete).status == .noContent)
            #expect(try await homs.json(Self.aleppo, .get).status == .notFound, "and not once removed")

            let entries = try await store.auditEntries(offset: 0, limit: 10_000).compactMap {
                AuditEntry(text: $0.text)
            }
            let members = entries.filter { $0.kind == "member" && $0.id.hasSuffix(homsID) }
            #expect(members.map(\.action) == ["create", "remove"])
            #expect(
                members.allSatisfy { $0.actor.hasPrefix("device:") && $0.operation == String(Self.aleppo.suffix(36)) })
        }
    }

    @Test func whatCannotBeAMemberIsRefusedAndTheLastMemberStays() async throws {
        try await withDemo { admin in
            let unknown = try await admin.json(Self.aleppo + "/members", .post, #"{"organisation":"Nobody"}"#)
            #expect(unknown.status == .unprocessableContent)
            let problem = try JSONDecoder().decode(ProblemDocument.self, from: unknown.body)
            #expect(problem.invalidParams?.map(\.pointer) == ["/organisation"])
            #expect(try await admin.json(Self.aleppo + "/members/\(UUID())", .delete).status == .notFound)

            let body = #"{"name":"Homs","area":"Homs","timeZone":"Asia/Damascus","languages":["en"]}"#
            let created = try await admin.json("/api/v1/operations", .post, body)
            let location = try #require(created.headers[.location])
            let members = try JSONDecoder().decode(
                Members.self, from: try await admin.json(location + "/members", .get).body)
            #expect(members.items.map(\.organisation) == [DemoLoader.coordination], "its maker is its first member")
            let last = try #require(members.items.first?.organisationId)
            #expect(try await admin.json(location + "/members/\(last)", .delete).status == .conflict)
        }
    }

    /// The cell that runs an operation decides who takes part: another member's
    /// administrator (the field team's, the government delegation's) neither removes it
    /// nor lets anyone in, and the cell cannot remove itself.
    @Test func onlyTheLeadOrganisationManagesMembersAndItStays() async throws {
        try await withDemoServer { admin, store in
            let members = try JSONDecoder().decode(
                Members.self, from: try await admin.json(Self.aleppo + "/members", .get).body)
            let lead = try #require(members.items.first { $0.organisation == DemoLoader.coordination })
            let field = try #require(members.items.first { $0.organisation == DemoLoader.fieldTeam })
            for partner in [DemoLoader.fieldTeam, DemoLoader.delegation] {
                let theirs = admin.with(secret: try await token(.admin, of: partner, in: store))
                #expect(
                    try await theirs.json(Self.aleppo + "/members/\(lead.organisationId)", .delete).status
                        == .forbidden, "\(partner) cannot remove the lead")
                #expect(
                    try await theirs.json(
                        Self.aleppo + "/members", .post, #"{"organisation":"\#(DemoLoader.secondCell)"}"#
                    ).status == .forbidden, "\(partner) cannot let anyone in")
            }
            #expect(
                try await admin.json(Self.aleppo + "/members/\(lead.organisationId)", .delete).status == .conflict,
                "the lead stays")
            #expect(
                try await admin.json(Self.aleppo + "/members/\(field.organisationId)", .delete).status == .noContent)
            let after = try JSONDecoder().decode(
                Members.self, from: try await admin.json(Self.aleppo + "/members", .get).body)
            #expect(Set(after.items.map(\.organisation)) == [DemoLoader.coordination, DemoLoader.delegation])
        }
    }
}
