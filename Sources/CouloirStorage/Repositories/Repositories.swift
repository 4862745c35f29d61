public import CouloirDomain
public import Foundation

/// Operations, and the index of what each holds.
public protocol OperationRepository: Sendable {
    func insert(_ operation: EvacuationOperation) async throws
    /// Every operation, by name.
    func operations() async throws -> [EvacuationOperation]
    func operation(_ id: EvacuationOperation.ID) async throws -> EvacuationOperation?
    func versionedOperation(_ id: EvacuationOperation.ID) async throws -> Versioned<EvacuationOperation>?
    /// Replaces the operation if it is still at `version`.
    func update(_ operation: EvacuationOperation, from version: Int) async throws -> Versioned<EvacuationOperation>
}

/// Parties and sectors: who is involved, and the areas they hold.
public protocol PartyRepository: Sendable {
    func insert(_ party: Party) async throws
    /// The operation's parties, by name.
    func parties(in operationID: EvacuationOperation.ID) async throws -> [Party]
    func versionedParty(_ id: Party.ID, in operationID: EvacuationOperation.ID) async throws -> Versioned<Party>?
    /// Replaces the party if it is still at `version`.
    func update(_ party: Party, from version: Int) async throws -> Versioned<Party>
}

public protocol SectorRepository: Sendable {
    func insert(_ sector: Sector) async throws
    /// The operation's sectors, by name.
    func sectors(in operationID: EvacuationOperation.ID) async throws -> [Sector]
    func versionedSector(_ id: Sector.ID, in operationID: EvacuationOperation.ID) async throws -> Versioned<Sector>?
    /// Replaces the sector, its control history included, if it is still at `version`.
    func update(_ sector: Sector, from version: Int) async throws -> Versioned<Sector>
}

/// Corridors with their checkpoints and overrides.
public protocol CorridorRepository: Sendable {
    func insert(_ corridor: Corridor) async throws
    /// The operation's corridors, by code.
    func corridors(in operationID: EvacuationOperation.ID) async throws -> [Corridor]
    func corridor(_ id: Corridor.ID, in operationID: EvacuationOperation.ID) async throws -> Corridor?
    func versionedCorridor(_ id: Corridor.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Corridor>?
    /// Replaces the corridor's description (not its checkpoints or overrides) if it is
    /// still at `version`.
    func update(_ corridor: Corridor, from version: Int) async throws -> Versioned<Corridor>
    /// Records a coordinator's override and returns the corridor as it now stands, with
    /// the version the override raised it to.
    func addOverride(
        _ override: StatusOverride, to corridorID: Corridor.ID, in operationID: EvacuationOperation.ID
    ) async throws -> Versioned<Corridor>

    /// Every checkpoint of the operation, by corridor code and position along it.
    func checkpoints(in operationID: EvacuationOperation.ID) async throws -> [Versioned<PlacedCheckpoint>]
    func versionedCheckpoint(_ id: Checkpoint.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<PlacedCheckpoint>?
    /// Adds a checkpoint after the corridor's last one.
    func addCheckpoint(
        _ checkpoint: Checkpoint, to corridorID: Corridor.ID, in operationID: EvacuationOperation.ID
    ) async throws -> Versioned<PlacedCheckpoint>
    /// Replaces a checkpoint's name, location and teams if it is still at `version`; its
    /// corridor and position stay, since tallies counted there name them.
    func update(_ checkpoint: Checkpoint, in operationID: EvacuationOperation.ID, from version: Int) async throws
        -> Versioned<PlacedCheckpoint>
}

/// A checkpoint with the corridor it stands on and its place along it.
public struct PlacedCheckpoint: Identifiable, Hashable, Sendable, Encodable {
    public var checkpoint: Checkpoint
    public var corridorID: Corridor.ID
    /// Order along the corridor, from the origin (0).
    public var position: Int

    public var id: Checkpoint.ID { checkpoint.id }

    public init(_ checkpoint: Checkpoint, corridorID: Corridor.ID, position: Int) {
        self.checkpoint = checkpoint
        self.corridorID = corridorID
        self.position = position
    }
}

/// Pauses and their lifecycle.
public protocol PauseRepository: Sendable {
    func insert(_ pause: Pause) async throws
    func pauses(in operationID: EvacuationOperation.ID) async throws -> [Pause]
    func pause(_ id: Pause.ID, in operationID: EvacuationOperation.ID) async throws -> Pause?
    func versionedPause(_ id: Pause.ID, in operationID: EvacuationOperation.ID) async throws -> Versioned<Pause>?
    /// Replaces the pause's terms if it is still at `version` and has never been in force.
    func update(_ pause: Pause, from version: Int) async throws -> Versioned<Pause>
    /// Moves a pause through its lifecycle, checked against its stored state in the same
    /// transaction, and returns it as it now stands.
    func transition(
        _ pauseID: Pause.ID, in operationID: EvacuationOperation.ID,
        to state: PauseState, at instant: Date, actor: String, reason: String, source: Source
    ) async throws -> Versioned<Pause>
}

/// What became of a submitted tally.
public enum TallySubmission: Hashable, Sendable {
    /// Stored for the first time.
    case created(Tally)
    /// The same id with the same content was stored before: nothing new was stored.
    case replayed(Tally)
    /// The same id was stored before with other content: nothing was stored. The stored
    /// tally is `nil` when the one who sent it may not read it.
    case conflict(stored: Tally?)
}

/// A tally as it was sent, and who sent it: what every face hands the tally write path.
public struct Submission: Hashable, Sendable {
    public var tally: Tally
    public var sender: Actor

    public init(_ tally: Tally, from sender: Actor) {
        self.tally = tally
        self.sender = sender
    }
}

/// Tallies: appended, never modified.
public protocol TallyRepository: Sendable {
    /// Stores a tally once. Acknowledge the submission only after this returns: the
    /// commit is durable by then.
    func submit(_ tally: Tally) async throws -> TallySubmission
    /// Stores each valid tally of a batch once, all in one transaction, and says what
    /// became of each in order; an invalid one is answered and skipped. If storage fails,
    /// nothing of the batch is stored.
    func submit(batch tallies: [Tally]) async throws -> [Result<TallySubmission, DomainError>]
    func tallies(in operationID: EvacuationOperation.ID) async throws -> [Tally]
    /// The checkpoint each tally of `ids` the operation holds was counted at.
    func checkpoints(ofTallies ids: [Tally.ID], in operationID: EvacuationOperation.ID) async throws
        -> [Tally.ID: Checkpoint.ID]
    /// Up to `limit` of the operation's tallies in the order they were stored, after the
    /// one stored at `seq`.
    func tallies(
        in operationID: EvacuationOperation.ID, matching filter: TallyFilter, after seq: Int64?, limit: Int
    ) async throws -> [ListedTally]
}

/// Flow rollups of the tallies that count, kept in the tallies' transactions: reading
/// them costs the same at any number of tallies.
public protocol FlowRepository: Sendable {
    /// People by line and quarter-hour over `quarters`, at `checkpoints`.
    func flowCells(
        in operationID: EvacuationOperation.ID, quarters: Range<QuarterHour>, checkpoints: [Checkpoint.ID]
    ) async throws -> [FlowKey: Int]
    /// People by line over `span`, at `checkpoints`.
    func flowTotals(
        in operationID: EvacuationOperation.ID, over span: FlowSpan, checkpoints: [Checkpoint.ID]
    ) async throws -> [FlowLine: Int]
    /// Protection measures by line over `span`, at `checkpoints`.
    func protectionTotals(
        in operationID: EvacuationOperation.ID, over span: FlowSpan, checkpoints: [Checkpoint.ID]
    ) async throws -> [ProtectionLine: Int]
    /// The first and last quarter-hours anything was counted in.
    func flowExtent(in operationID: EvacuationOperation.ID) async throws -> ClosedRange<QuarterHour>?
    /// How many tallies each checkpoint received, and how many count.
    func tallyBasis(in operationID: EvacuationOperation.ID) async throws -> [Checkpoint.ID: TallyBasis]
}

/// Which tallies a list holds.
public struct TallyFilter: Sendable {
    public var checkpointID: Checkpoint.ID?
    public var corridorID: Corridor.ID?
    /// Tallies whose interval starts in [from, until).
    public var from: Date?
    public var until: Date?
    /// Only tallies at these checkpoints, the ones the caller may read; `nil` for any.
    public var visibleCheckpoints: Set<Checkpoint.ID>?

    public init(
        checkpointID: Checkpoint.ID? = nil, corridorID: Corridor.ID? = nil, from: Date? = nil, until: Date? = nil,
        visibleCheckpoints: Set<Checkpoint.ID>? = nil
    ) {
        self.checkpointID = checkpointID
        self.corridorID = corridorID
        self.from = from
        self.until = until
        self.visibleCheckpoints = visibleCheckpoints
    }
}

/// A stored tally, where it stands in the order of arrival, and its latest correction.
public struct ListedTally: Hashable, Sendable {
    public var tally: Tally
    /// Its place in the order tallies were stored.
    public var seq: Int64
    public var supersededBy: Tally.ID?

    public init(tally: Tally, seq: Int64, supersededBy: Tally.ID?) {
        self.tally = tally
        self.seq = seq
        self.supersededBy = supersededBy
    }
}

/// What was reported and claimed.
public protocol ReportRepository: Sendable {
    func insert(_ incident: Incident) async throws
    /// The operation's incidents, by when they occurred.
    func incidents(in operationID: EvacuationOperation.ID) async throws -> [Incident]
    func versionedIncident(_ id: Incident.ID, in operationID: EvacuationOperation.ID) async throws
        -> Versioned<Incident>?
    /// Replaces the incident's description (not its verification) if it is still at `version`.
    func update(_ incident: Incident, from version: Int) async throws -> Versioned<Incident>
    func changeVerification(
        ofIncident id: Incident.ID, in operationID: EvacuationOperation.ID, to status: VerificationStatus,
        at instant: Date, reason: String, source: Source
    ) async throws -> Versioned<Incident>

    func insert(_ claim: Claim) async throws
    /// The operation's claims, by when they were made.
    func claims(in operationID: EvacuationOperation.ID) async throws -> [Claim]
    func versionedClaim(_ id: Claim.ID, in operationID: EvacuationOperation.ID) async throws -> Versioned<Claim>?
    /// Replaces the claim's description (not its verification) if it is still at `version`.
    func update(_ claim: Claim, from version: Int) async throws -> Versioned<Claim>
    func changeVerification(
        ofClaim id: Claim.ID, in operationID: EvacuationOperation.ID, to status: VerificationStatus,
        at instant: Date, reason: String, source: Source
    ) async throws -> Versioned<Claim>
}

/// Everything Couloir stores.
public typealias Repository = OperationRepository & PartyRepository & SectorRepository & CorridorRepository
    & PauseRepository & TallyRepository & FlowRepository & ReportRepository & OwnershipRepository
    & MembershipRepository & IdentityRepository & AuditRepository
