/// An organisation whose people use Couloir: a coordination cell, a Red Cross or Red
/// Crescent society, an NGO, an agency, or a party's delegation. Users, tokens and the
/// records they make belong to one.
public struct Organisation: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Organisation>

    public var id: ID
    public var name: String

    public init(id: ID = ID(), name: String) {
        self.id = id
        self.name = name
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        try validator.finish()
    }
}
