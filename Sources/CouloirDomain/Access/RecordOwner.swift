/// Who made a record: the organisation it belongs to and the user or token that created
/// it. Kept beside the record, not in it; a record made before ownership was kept, or by
/// the system, has none and is reached only operation-wide.
public struct RecordOwner: Hashable, Sendable {
    public var organisationID: Organisation.ID
    public var actor: Actor

    public init(organisationID: Organisation.ID, actor: Actor) {
        self.organisationID = organisationID
        self.actor = actor
    }

    public init(_ principal: Principal) {
        self.init(organisationID: principal.organisationID, actor: principal.actor)
    }
}
