public import Foundation

/// An organisation taking part in an operation: the coordination cell that runs it, an
/// agency or team, a party's delegation. Only members' people reach anything of the
/// operation; the organisation that creates an operation is its first member.
public struct Membership: Identifiable, Hashable, Sendable, Codable {
    public var operationID: EvacuationOperation.ID
    public var organisationID: Organisation.ID
    /// When it joined.
    public var since: Date

    public init(operationID: EvacuationOperation.ID, organisationID: Organisation.ID, since: Date) {
        self.operationID = operationID
        self.organisationID = organisationID
        self.since = since
    }

    /// The pair, as the audit log names it.
    public var id: String { "\(operationID)/\(organisationID)" }
}
