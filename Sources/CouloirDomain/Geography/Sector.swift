public import Foundation

/// An area of the operation, with how many people live there and who controls it.
public struct Sector: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Sector>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var name: String
    /// The OCHA place code, where one is known.
    public var pcode: String?
    public var boundary: Polygon
    public var population: PopulationEstimate?
    /// Who controlled the sector from when, oldest first.
    public var control: [ControlPeriod]

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        name: String,
        pcode: String? = nil,
        boundary: Polygon,
        population: PopulationEstimate? = nil,
        control: [ControlPeriod] = []
    ) {
        self.id = id
        self.operationID = operationID
        self.name = name
        self.pcode = pcode
        self.boundary = boundary
        self.population = population
        self.control = control
    }

    /// The party that controlled the sector at `instant`, if any is recorded.
    public func controller(at instant: Date) -> Party.ID? {
        control.last(where: { $0.since <= instant })?.partyID
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        if let pcode {
            validator.requireText(pcode, at: "/pcode", maxLength: 32)
        }
        boundary.validate(at: "/boundary", into: &validator)
        population?.validate(at: "/population", into: &validator)
        for (i, period) in control.enumerated() {
            validator.requireReference(period.partyID, in: index.parties, at: "/control/\(i)/partyId", kind: "party")
            period.source.validate(at: "/control/\(i)/source", into: &validator)
            if i > 0 {
                validator.check(
                    control[i - 1].since < period.since, "/control/\(i)/since",
                    "control periods must be in strictly increasing time order")
            }
        }
        try validator.finish()
    }
}

/// How many people live in a sector: a best value within a range, as of a date, on
/// whose word.
public struct PopulationEstimate: Hashable, Sendable, Codable {
    public var value: Int
    public var low: Int
    public var high: Int
    public var asOf: LocalDate
    public var source: Source

    public init(value: Int, low: Int, high: Int, asOf: LocalDate, source: Source) {
        self.value = value
        self.low = low
        self.high = high
        self.asOf = asOf
        self.source = source
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireCount(value, at: pointer + "/value", maximum: 100_000_000)
        validator.requireCount(low, at: pointer + "/low", maximum: 100_000_000)
        validator.requireCount(high, at: pointer + "/high", maximum: 100_000_000)
        validator.check(low <= value, pointer + "/low", "must not exceed value")
        validator.check(value <= high, pointer + "/high", "must not be below value")
        source.validate(at: pointer + "/source", into: &validator)
    }
}

/// A party's control of a sector, from an instant until the next period begins.
public struct ControlPeriod: Hashable, Sendable, Codable {
    public var partyID: Party.ID
    public var since: Date
    public var source: Source

    public init(partyID: Party.ID, since: Date, source: Source) {
        self.partyID = partyID
        self.since = since
        self.source = source
    }
}
