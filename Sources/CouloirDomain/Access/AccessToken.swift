public import Foundation

/// A token a field phone or a script sends instead of signing in: issued for an
/// organisation and a role (any role: an administrator's automation may carry theirs),
/// shown once, stored only as a hash, revocable.
public struct AccessToken: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<AccessToken>

    public var id: ID
    public var organisationID: Organisation.ID
    /// What it is for, to recognise it in a list: "Phone 3, Bustan al-Qasr".
    public var label: String
    public var role: Role
    public var assignment: Assignment
    public var issuedAt: Date
    public var revokedAt: Date?

    public init(
        id: ID = ID(), organisationID: Organisation.ID, label: String, role: Role,
        assignment: Assignment = Assignment(), issuedAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.organisationID = organisationID
        self.label = label
        self.role = role
        self.assignment = assignment
        self.issuedAt = issuedAt
        self.revokedAt = revokedAt
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.requireText(label, at: "/label", maxLength: Limits.nameLength)
        assignment.validate(for: role, into: &validator)
        try validator.finish()
    }
}
