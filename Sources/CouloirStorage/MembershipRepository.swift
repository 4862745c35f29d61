public import CouloirDomain
public import Foundation

/// The organisations taking part in each operation.
public protocol MembershipRepository: Sendable {
    /// The organisations taking part in the operation.
    func members(of operationID: EvacuationOperation.ID) async throws -> Set<Organisation.ID>
    /// The organisations taking part in each operation.
    func memberships() async throws -> [EvacuationOperation.ID: Set<Organisation.ID>]
    /// The operation's members with their organisations, by name.
    func memberList(of operationID: EvacuationOperation.ID) async throws -> [Member]
    /// Makes an organisation a member; `StorageError.duplicate` when it is one already.
    func addMember(_ organisationID: Organisation.ID, to operationID: EvacuationOperation.ID) async throws
        -> Membership
    /// Ends an organisation's membership; `StorageError.notFound` when it had none,
    /// `DomainError.conflict` when it is the last, which stays.
    func removeMember(_ organisationID: Organisation.ID, from operationID: EvacuationOperation.ID) async throws
}

/// A member organisation, with since when it takes part.
public struct Member: Hashable, Sendable {
    public var organisation: Organisation
    public var since: Date

    public init(organisation: Organisation, since: Date) {
        self.organisation = organisation
        self.since = since
    }
}
