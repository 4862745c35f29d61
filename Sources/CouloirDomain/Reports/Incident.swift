public import Foundation

/// Something that went wrong: a violation of a pause, an obstruction, a blockage, a
/// hazard. Follows ACLED's habits: stable id, time and place precision, source,
/// verification.
public struct Incident: Identifiable, Hashable, Sendable, Codable, Verifiable {
    public typealias ID = Identifier<Incident>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var kind: Kind
    public var occurredAt: Date
    public var timePrecision: TimePrecision
    public var place: Place
    public var placePrecision: PlacePrecision
    public var severity: Severity
    public var summary: String
    public var killed: Int?
    public var injured: Int?
    /// Who reported it to the coordination cell.
    public var reportedBy: String
    public var source: Source
    public var verification: VerificationStatus
    /// Every change of `verification`, oldest first.
    public var verificationHistory: [VerificationChange]

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        kind: Kind,
        occurredAt: Date,
        timePrecision: TimePrecision,
        place: Place,
        placePrecision: PlacePrecision,
        severity: Severity,
        summary: String,
        killed: Int? = nil,
        injured: Int? = nil,
        reportedBy: String,
        source: Source,
        verification: VerificationStatus = .unverified,
        verificationHistory: [VerificationChange] = []
    ) {
        self.id = id
        self.operationID = operationID
        self.kind = kind
        self.occurredAt = occurredAt
        self.timePrecision = timePrecision
        self.place = place
        self.placePrecision = placePrecision
        self.severity = severity
        self.summary = summary
        self.killed = killed
        self.injured = injured
        self.reportedBy = reportedBy
        self.source = source
        self.verification = verification
        self.verificationHistory = verificationHistory
    }

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Shelling, shooting or an attack during a pause.
        case pauseViolation
        /// People prevented from leaving.
        case obstruction
        /// Civilians unable to move because of fighting.
        case civiliansBlocked
        /// People killed or injured.
        case casualties
        /// A corridor or checkpoint closed.
        case closure
        /// Mines, unexploded ordnance or another danger on the route.
        case routeHazard
        /// Detention or screening at a checkpoint.
        case detentionOrScreening
        /// Families separated on the way.
        case familySeparation
    }

    public enum TimePrecision: String, Hashable, Sendable, Codable, CaseIterable {
        case exact, hour, day, week, month
    }

    public enum PlacePrecision: String, Hashable, Sendable, Codable, CaseIterable {
        /// The exact point is known.
        case exact
        /// Near the point given, within a few kilometres.
        case approximate
        /// Somewhere in the sector or on the corridor given.
        case area
    }

    public enum Severity: String, Hashable, Sendable, Codable, CaseIterable {
        /// No one hurt, movement barely affected.
        case low
        /// Movement delayed or diverted, or people lightly hurt.
        case moderate
        /// A corridor stopped, or people seriously hurt.
        case high
        /// People killed, or the pause as a whole in danger.
        case critical
    }

    /// Where it happened: a point, a corridor, or a sector.
    public enum Place: Hashable, Sendable {
        case point(Point)
        case corridor(Corridor.ID)
        case sector(Sector.ID)
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        switch place {
        case .point(let point):
            point.validate(at: "/place/point", into: &validator)
        case .corridor(let corridorID):
            validator.requireReference(corridorID, in: index.corridors, at: "/place/corridorId", kind: "corridor")
        case .sector(let sectorID):
            validator.requireReference(sectorID, in: index.sectors, at: "/place/sectorId", kind: "sector")
        }
        validator.requireText(summary, at: "/summary", maxLength: Limits.textLength)
        if let killed { validator.requireCount(killed, at: "/killed", maximum: Limits.peoplePerTally) }
        if let injured { validator.requireCount(injured, at: "/injured", maximum: Limits.peoplePerTally) }
        validator.requireText(reportedBy, at: "/reportedBy", maxLength: Limits.nameLength)
        source.validate(at: "/source", into: &validator)
        try validator.finish()
    }
}

extension Incident.Place: Codable {
    private enum CodingKeys: String, CodingKey { case point, corridorId, sectorId }

    /// Exactly one of `{"point": GeoJSON Point}`, `{"corridorId"}` or `{"sectorId"}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "give exactly one of point, corridorId, sectorId")
            )
        }
        switch key {
        case .point: self = .point(try container.decode(Point.self, forKey: .point))
        case .corridorId: self = .corridor(try container.decode(Corridor.ID.self, forKey: .corridorId))
        case .sectorId: self = .sector(try container.decode(Sector.ID.self, forKey: .sectorId))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .point(let point): try container.encode(point, forKey: .point)
        case .corridor(let id): try container.encode(id, forKey: .corridorId)
        case .sector(let id): try container.encode(id, forKey: .sectorId)
        }
    }
}
