public import CouloirDomain
public import CouloirStorage

extension Core {
    /// The organisations taking part in the operation, to a principal who may read it.
    public func members(of operationID: EvacuationOperation.ID, as principal: Principal) async throws -> [Member] {
        let (operation, _) = try await reach(operationID, as: principal)
        return try await base.memberList(of: operation.id)
    }

    /// Makes the organisation named `name` a member of the operation. A principal who may
    /// not see the organisation's name in Couloir learns only that there is no such one.
    public func addMember(named name: String, to operationID: EvacuationOperation.ID, as principal: Principal)
        async throws -> Member
    {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.require(
            .manageMembers, on: RecordKey(.operation, operation.id), relation: access.operationRelation)
        guard let organisation = try await base.organisation(named: name) else {
            throw DomainError.invalid([FieldIssue("/organisation", "names no organisation known to Couloir")])
        }
        do {
            let membership = try await store(for: principal).addMember(organisation.id, to: operation.id)
            return Member(organisation: organisation, since: membership.since)
        } catch StorageError.duplicate {
            throw DomainError.conflict("\(organisation.name) takes part in this operation already")
        }
    }

    /// Ends an organisation's part in the operation; the last member stays.
    public func removeMember(
        _ organisationID: Organisation.ID, from operationID: EvacuationOperation.ID, as principal: Principal
    ) async throws {
        let (operation, access) = try await reach(operationID, as: principal)
        try access.require(
            .manageMembers, on: RecordKey(.operation, operation.id), relation: access.operationRelation)
        guard organisationID != access.leadOrganisationID else {
            throw DomainError.conflict("the organisation that runs the operation stays a member")
        }
        do {
            try await store(for: principal).removeMember(organisationID, from: operation.id)
        } catch StorageError.notFound {
            throw CoreError.hidden(kind: "member", id: organisationID.description)
        }
    }
}
