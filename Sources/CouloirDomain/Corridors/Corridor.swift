/// A route out of a sector, its checkpoints in order from the origin, and who may use it.
public struct Corridor: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Corridor>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    /// A short code, unique within the operation.
    public var code: String
    public var name: String
    public var originSectorID: Sector.ID
    public var destinationSectorID: Sector.ID?
    /// Where the corridor leads, in words.
    public var destination: String?
    public var route: LineString
    public var allowedGroups: Set<Group>
    /// Estimated capacity, people per hour.
    public var capacityPerHour: Int?
    /// Ordered from the origin.
    public var checkpoints: [Checkpoint]
    /// Manual closures and blockages, oldest first.
    public var overrides: [StatusOverride]
    /// Who announced or defined the corridor.
    public var source: Source

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        code: String,
        name: String,
        originSectorID: Sector.ID,
        destinationSectorID: Sector.ID? = nil,
        destination: String? = nil,
        route: LineString,
        allowedGroups: Set<Group>,
        capacityPerHour: Int? = nil,
        checkpoints: [Checkpoint] = [],
        overrides: [StatusOverride] = [],
        source: Source
    ) {
        self.id = id
        self.operationID = operationID
        self.code = code
        self.name = name
        self.originSectorID = originSectorID
        self.destinationSectorID = destinationSectorID
        self.destination = destination
        self.route = route
        self.allowedGroups = allowedGroups
        self.capacityPerHour = capacityPerHour
        self.checkpoints = checkpoints
        self.overrides = overrides
        self.source = source
    }

    public func allows(_ group: Group) -> Bool {
        allowedGroups.contains(group)
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        validator.requireText(code, at: "/code", maxLength: 32)
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        validator.requireReference(originSectorID, in: index.sectors, at: "/originSectorId", kind: "sector")
        if let destinationSectorID {
            validator.requireReference(
                destinationSectorID, in: index.sectors, at: "/destinationSectorId", kind: "sector")
            validator.check(
                destinationSectorID != originSectorID, "/destinationSectorId", "must differ from the origin sector")
        }
        if let destination {
            validator.requireText(destination, at: "/destination", maxLength: Limits.nameLength)
        }
        route.validate(at: "/route", into: &validator)
        validator.check(!allowedGroups.isEmpty, "/allowedGroups", "a corridor must allow at least one group")
        if let capacityPerHour {
            validator.requireCount(capacityPerHour, at: "/capacityPerHour", maximum: Limits.peoplePerTally)
        }
        for (i, checkpoint) in checkpoints.enumerated() {
            checkpoint.validate(at: "/checkpoints/\(i)", into: &validator)
        }
        validator.check(
            Set(checkpoints.map(\.id)).count == checkpoints.count, "/checkpoints", "checkpoint ids must be distinct")
        for (i, override) in overrides.enumerated() {
            override.validate(at: "/overrides/\(i)", into: &validator)
        }
        source.validate(at: "/source", into: &validator)
        try validator.finish()
    }
}
