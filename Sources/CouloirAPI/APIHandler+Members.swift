import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation

extension APIHandler {
    func listMembers(_ input: Operations.ListMembers.Input) async throws -> Operations.ListMembers.Output {
        let members = try await core.members(of: try pathID(input.path.operationId, "operation"), as: principal)
        return .ok(.init(body: .json(.init(items: members.map(Components.Schemas.Member.init)))))
    }

    func addMember(_ input: Operations.AddMember.Input) async throws -> Operations.AddMember.Output {
        guard case .json(let body) = input.body else { preconditionFailure("the document declares JSON only") }
        let member = try await core.addMember(
            named: body.organisation, to: try pathID(input.path.operationId, "operation"), as: principal)
        return .created(.init(body: .json(.init(member))))
    }

    func removeMember(_ input: Operations.RemoveMember.Input) async throws -> Operations.RemoveMember.Output {
        try await core.removeMember(
            try pathID(input.path.organisationId, "member"), from: try pathID(input.path.operationId, "operation"),
            as: principal)
        return .noContent(.init())
    }
}

extension Components.Schemas.Member {
    init(_ member: Member) {
        self.init(
            organisationId: member.organisation.id.description, organisation: member.organisation.name,
            since: member.since)
    }
}
