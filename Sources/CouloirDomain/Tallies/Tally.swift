import Foundation

/// A count of people who crossed a checkpoint in an interval [start, end), in one
/// direction, by group. Submitted with a UUID the device made; never modified: a
/// correction is a new tally that supersedes an earlier one.
///
/// A tally holds counts only. There is no field for anyone's name or identity, and
/// there must never be one.
public struct Tally: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Tally>

    /// Made by the submitting device, so that a retried submission is recognised.
    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var checkpointID: Checkpoint.ID
    public var interval: Interval
    public var direction: Direction
    public var counts: [GroupCount]
    public var vehicles: Vehicles
    /// The earlier tally this one corrects.
    public var supersedes: ID?
    public var source: Source

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        checkpointID: Checkpoint.ID,
        interval: Interval,
        direction: Direction,
        counts: [GroupCount],
        vehicles: Vehicles = Vehicles(),
        supersedes: ID? = nil,
        source: Source
    ) {
        self.id = id
        self.operationID = operationID
        self.checkpointID = checkpointID
        self.interval = interval
        self.direction = direction
        self.counts = counts
        self.vehicles = vehicles
        self.supersedes = supersedes
        self.source = source
    }

    /// Everyone counted, all groups together.
    public var people: Int { counts.reduce(0) { $0 + $1.people } }

    public func count(of group: Group) -> Int {
        counts.first(where: { $0.group == group })?.people ?? 0
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        validator.requireReference(checkpointID, in: index.checkpoints, at: "/checkpointId", kind: "checkpoint")
        interval.validate(at: "/interval", into: &validator)
        validator.check(
            interval.duration <= Limits.tallySpan, "/interval/end", "a tally covers at most 24 hours")
        validator.check(!counts.isEmpty, "/counts", "a tally must count at least one group")
        var seen = Set<Group>()
        for (i, count) in counts.enumerated() {
            validator.check(
                seen.insert(count.group).inserted, "/counts/\(i)/group", "\(count.group.rawValue) is counted twice")
            count.validate(at: "/counts/\(i)", into: &validator)
        }
        vehicles.validate(at: "/vehicles", into: &validator)
        validator.check(supersedes != id, "/supersedes", "a tally cannot supersede itself")
        source.validate(at: "/source", into: &validator)
        try validator.finish()
    }
}

/// Which way people crossed, relative to the corridor's route.
public enum Direction: String, Hashable, Sendable, Codable, CaseIterable {
    /// From the origin sector towards the destination: leaving.
    case outbound
    /// From the destination back towards the origin.
    case inbound
}

/// How many people of one group crossed.
public struct GroupCount: Hashable, Sendable, Codable {
    public var group: Group
    public var people: Int
    /// By sex and age, when the team could observe it; adds up to `people`.
    public var breakdown: SexAgeBreakdown?
    /// Unaccompanied or separated children among them: a protection indicator, still a count.
    public var unaccompaniedChildren: Int?

    public init(group: Group, people: Int, breakdown: SexAgeBreakdown? = nil, unaccompaniedChildren: Int? = nil) {
        self.group = group
        self.people = people
        self.breakdown = breakdown
        self.unaccompaniedChildren = unaccompaniedChildren
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireCount(people, at: pointer + "/people", maximum: Limits.peoplePerTally)
        if let breakdown {
            breakdown.validate(at: pointer + "/breakdown", into: &validator)
            validator.check(
                breakdown.total == people, pointer + "/breakdown",
                "adds up to \(breakdown.total), not to the group's \(people) people")
        }
        if let unaccompaniedChildren {
            validator.requireCount(
                unaccompaniedChildren, at: pointer + "/unaccompaniedChildren", maximum: Limits.peoplePerTally)
            let children = breakdown?.children ?? people
            validator.check(
                unaccompaniedChildren <= children, pointer + "/unaccompaniedChildren",
                "exceeds the \(children) children counted")
        }
    }
}

/// People by sex and age band: children under 18, adults 18–59, elderly 60 and over.
public struct SexAgeBreakdown: Hashable, Sendable, Codable {
    public var female: AgeBands
    public var male: AgeBands

    public init(female: AgeBands, male: AgeBands) {
        self.female = female
        self.male = male
    }

    public var total: Int { female.total + male.total }
    public var children: Int { female.children + male.children }

    func validate(at pointer: String, into validator: inout Validator) {
        female.validate(at: pointer + "/female", into: &validator)
        male.validate(at: pointer + "/male", into: &validator)
    }
}

public struct AgeBands: Hashable, Sendable, Codable {
    /// Under 18.
    public var children: Int
    /// 18 to 59.
    public var adults: Int
    /// 60 and over.
    public var elderly: Int

    public init(children: Int, adults: Int, elderly: Int) {
        self.children = children
        self.adults = adults
        self.elderly = elderly
    }

    public var total: Int { children + adults + elderly }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireCount(children, at: pointer + "/children", maximum: Limits.peoplePerTally)
        validator.requireCount(adults, at: pointer + "/adults", maximum: Limits.peoplePerTally)
        validator.requireCount(elderly, at: pointer + "/elderly", maximum: Limits.peoplePerTally)
    }
}

/// Vehicles that crossed with the people counted.
public struct Vehicles: Hashable, Sendable, Codable {
    public var cars: Int
    public var buses: Int
    public var ambulances: Int

    public init(cars: Int = 0, buses: Int = 0, ambulances: Int = 0) {
        self.cars = cars
        self.buses = buses
        self.ambulances = ambulances
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireCount(cars, at: pointer + "/cars", maximum: Limits.vehiclesPerTally)
        validator.requireCount(buses, at: pointer + "/buses", maximum: Limits.vehiclesPerTally)
        validator.requireCount(ambulances, at: pointer + "/ambulances", maximum: Limits.vehiclesPerTally)
    }
}
