/// A person who signs in: one organisation, one role, and for a monitor the checkpoints
/// assigned, for a party liaison the party represented. No password here: only its hash
/// is stored, beside the user, never in a record that is read out.
public struct User: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<User>

    public var id: ID
    public var organisationID: Organisation.ID
    /// What the user signs in with: 3 to 64 of a–z, 0–9, `.`, `_`, `-`, `@`.
    public var login: String
    public var role: Role
    public var assignment: Assignment
    public var disabled: Bool

    public init(
        id: ID = ID(), organisationID: Organisation.ID, login: String, role: Role,
        assignment: Assignment = Assignment(), disabled: Bool = false
    ) {
        self.id = id
        self.organisationID = organisationID
        self.login = login
        self.role = role
        self.assignment = assignment
        self.disabled = disabled
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.check(Self.isLogin(login), "/login", "must be 3 to 64 of a-z, 0-9, '.', '_', '-', '@'")
        assignment.validate(for: role, into: &validator)
        try validator.finish()
    }

    static func isLogin(_ text: String) -> Bool {
        (3...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains(byte)
            }
    }
}

/// What a user or a token is assigned: the checkpoints a monitor counts at, the party
/// a liaison represents.
public struct Assignment: Hashable, Sendable, Codable {
    public var checkpointIDs: [Checkpoint.ID]
    public var partyID: Party.ID?

    public init(checkpointIDs: [Checkpoint.ID] = [], partyID: Party.ID? = nil) {
        self.checkpointIDs = checkpointIDs
        self.partyID = partyID
    }

    /// Nothing is assigned: the holder reaches records only by who made them.
    public var isEmpty: Bool { checkpointIDs.isEmpty && partyID == nil }

    func validate(for role: Role, into validator: inout Validator) {
        validator.check(
            (role == .partyLiaison) == (partyID != nil), "/assignment/partyId",
            role == .partyLiaison ? "a party liaison represents one party" : "only a party liaison represents a party")
        validator.check(
            role == .monitor || checkpointIDs.isEmpty, "/assignment/checkpointIds",
            "only a monitor is assigned checkpoints")
        validator.check(
            Set(checkpointIDs).count == checkpointIDs.count, "/assignment/checkpointIds", "must not repeat a checkpoint"
        )
        validator.requireCount(checkpointIDs.count, at: "/assignment/checkpointIds", maximum: 1_000)
    }
}
