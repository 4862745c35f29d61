public import CouloirDomain

/// Who made the records of an operation.
public protocol OwnershipRepository: Sendable {
    /// The owners of the operation and of every record in it that has one.
    func owners(in operationID: EvacuationOperation.ID) async throws -> [RecordKey: RecordOwner]
    /// The owners of operations, by operation.
    func operationOwners() async throws -> [EvacuationOperation.ID: RecordOwner]
    /// The same repositories, writing in `principal`'s name: what they create belongs to
    /// it and its organisation.
    func acting(as principal: Principal) -> Self
    /// The same repositories, writing in `actor`'s name: what they create belongs to
    /// nobody (Couloir itself, a command run by whoever holds the database).
    func acting(as actor: Actor) -> Self
}
