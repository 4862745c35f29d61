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
    func parties(in operationID: EvacuationOperation.ID) async throws -> [Party]
}

public protocol SectorRepository: Sendable {
    func insert(_ sector: Sector) async throws
    func sectors(in operationID: EvacuationOperation.ID) async throws -> [Sector]
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
}

/// Pauses and their lifecycle.
public protocol PauseRepository: Sendable {
    func insert(_ pause: Pause) async throws
    func pauses(in operationID: EvacuationOperation.ID) async throws -> [Pause]
    func pause(_ id: Pause.ID, in operationID: EvacuationOperation.ID) async throws -> Pause?
    /// Moves a pause through its lifecycle, checked against its stored state in the same
    /// transaction, and returns it as it now stands.
    func transition(
        _ pauseID: Pause.ID, in operationID: EvacuationOperation.ID,
        to state: PauseState, at instant: Date, actor: String, reason: String, source: Source
    ) async throws -> Pause
}

/// What became of a submitted tally.
public enum TallySubmission: Hashable, Sendable {
    /// Stored for the first time.
    case created(Tally)
    /// The same id with the same content was stored before: nothing new was stored.
    case replayed(Tally)
    /// The same id was stored before with other content: nothing was stored.
    case conflict(stored: Tally)
}

/// Tallies: appended, never modified.
public protocol TallyRepository: Sendable {
    /// Stores a tally once. Acknowledge the submission only after this returns: the
    /// commit is durable by then.
    func submit(_ tally: Tally) async throws -> TallySubmission
    func tallies(in operationID: EvacuationOperation.ID) async throws -> [Tally]
}

/// What was reported and claimed.
public protocol ReportRepository: Sendable {
    func insert(_ incident: Incident) async throws
    func incidents(in operationID: EvacuationOperation.ID) async throws -> [Incident]
    func insert(_ claim: Claim) async throws
    func claims(in operationID: EvacuationOperation.ID) async throws -> [Claim]
}

/// Everything Couloir stores.
public typealias Repository = OperationRepository & PartyRepository & SectorRepository & CorridorRepository
    & PauseRepository & TallyRepository & ReportRepository
