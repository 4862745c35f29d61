/// A point on a corridor where crossings are counted.
public struct Checkpoint: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Checkpoint>

    public var id: ID
    public var name: String
    public var location: Point
    /// The monitoring teams assigned to count here, by name.
    public var monitorTeams: [String]

    public init(id: ID = ID(), name: String, location: Point, monitorTeams: [String] = []) {
        self.id = id
        self.name = name
        self.location = location
        self.monitorTeams = monitorTeams
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validate(at: "", into: &validator)
        try validator.finish()
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireText(name, at: pointer + "/name", maxLength: Limits.nameLength)
        location.validate(at: pointer + "/location", into: &validator)
        for (i, team) in monitorTeams.enumerated() {
            validator.requireText(team, at: pointer + "/monitorTeams/\(i)", maxLength: Limits.nameLength)
        }
    }
}
