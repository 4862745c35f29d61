/// Who a request acts for: a signed-in user or a device or script token, with the
/// organisation, role and assignment that decide what it may see and change.
public struct Principal: Hashable, Sendable {
    /// How the audit log names it.
    public var actor: Actor
    public var organisationID: Organisation.ID
    public var role: Role
    public var assignment: Assignment

    public init(actor: Actor, organisationID: Organisation.ID, role: Role, assignment: Assignment = Assignment()) {
        self.actor = actor
        self.organisationID = organisationID
        self.role = role
        self.assignment = assignment
    }

    public init(_ user: User) {
        self.init(
            actor: .user(user.id), organisationID: user.organisationID, role: user.role,
            assignment: user.assignment)
    }

    public init(_ token: AccessToken) {
        self.init(
            actor: .device(token.id), organisationID: token.organisationID, role: token.role,
            assignment: token.assignment)
    }

    /// How far this principal's permission for `action` reaches.
    public func reach(for action: Action) -> Reach {
        Policy.reach(of: role, for: action)
    }

    /// Whether `checkpoint` is one this principal counts at by its own assignment, known
    /// without reading the operation's plan (tally submission is the hot path).
    public func isAssigned(_ checkpoint: Checkpoint.ID) -> Bool {
        role == .monitor && assignment.checkpointIDs.contains(checkpoint)
    }

    /// Whether this principal may do `action` to a record in `relation` to it.
    public func may(_ action: Action, on relation: Relation) -> Bool {
        Policy.allows(role, action, on: relation)
    }
}
