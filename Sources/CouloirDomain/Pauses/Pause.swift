public import Foundation

/// An agreed suspension of hostilities: its windows, what it covers, its conditions,
/// the guarantees the parties gave, and its lifecycle.
public struct Pause: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Pause>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var name: String
    public var windows: [PauseWindow]
    public var sectorIDs: [Sector.ID]
    /// The corridors the pause opens during its windows.
    public var corridorIDs: [Corridor.ID]
    public var conditions: [String]
    public var guarantees: [Guarantee]
    /// When the pause was proposed, and on whose word.
    public var proposedAt: Date
    public var source: Source
    /// Every lifecycle step since it was proposed, oldest first.
    public private(set) var history: [PauseTransition]

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        name: String,
        windows: [PauseWindow],
        sectorIDs: [Sector.ID] = [],
        corridorIDs: [Corridor.ID],
        conditions: [String] = [],
        guarantees: [Guarantee] = [],
        proposedAt: Date,
        source: Source,
        history: [PauseTransition] = []
    ) {
        self.id = id
        self.operationID = operationID
        self.name = name
        self.windows = windows
        self.sectorIDs = sectorIDs
        self.corridorIDs = corridorIDs
        self.conditions = conditions
        self.guarantees = guarantees
        self.proposedAt = proposedAt
        self.source = source
        self.history = history
    }

    /// The state now, after every recorded step.
    public var state: PauseState { history.last?.to ?? .proposed }

    /// Whether its terms may still be rewritten: only before it is first in force, so
    /// that what held while it was in force stays on the record.
    public var termsAreOpen: Bool { state == .proposed || state == .agreed }

    /// Replaces the pause's terms with `terms`'s, keeping its identity and history.
    public mutating func revise(to terms: Pause) throws(DomainError) {
        guard termsAreOpen else {
            throw .conflict("the pause is \(state.rawValue): its terms are fixed once it has been in force")
        }
        name = terms.name
        windows = terms.windows
        sectorIDs = terms.sectorIDs
        corridorIDs = terms.corridorIDs
        conditions = terms.conditions
        guarantees = terms.guarantees
        source = terms.source
    }

    /// The state the pause was in at `instant`, from its recorded steps.
    public func state(at instant: Date) -> PauseState {
        history.last(where: { $0.at <= instant })?.to ?? .proposed
    }

    /// Moves the pause to `next`, recording the step. Steps must come in time order.
    public mutating func transition(
        to next: PauseState, at instant: Date, actor: String, reason: String, source: Source
    ) throws(DomainError) {
        // A step that could never be recorded is refused as such, whatever the state.
        let step = PauseTransition(from: state, to: next, at: instant, actor: actor, reason: reason, source: source)
        var validator = Validator()
        validate(step, at: "", into: &validator)
        try validator.finish()
        guard state.canMove(to: next) else {
            throw .illegalTransition(from: state, to: next)
        }
        history.append(step)
    }

    /// The window span running at `instant` while the pause was active, if any.
    public func runningWindow(at instant: Date, in clock: ZonedClock) -> Interval? {
        guard state(at: instant) == .active else { return nil }
        return windows.lazy.compactMap { $0.occurrence(containing: instant, in: clock) }.first
    }

    /// Every window span, in time order.
    public func occurrences(in clock: ZonedClock) -> [Interval] {
        windows.flatMap { $0.occurrences(in: clock) }.sorted { $0.start < $1.start }
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        validator.check(!windows.isEmpty, "/windows", "a pause needs at least one window")
        validator.check(
            windows.count <= Limits.windowsPerPause, "/windows", "at most \(Limits.windowsPerPause) windows")
        for (i, window) in windows.enumerated() {
            window.validate(at: "/windows/\(i)", into: &validator)
        }
        for (i, sectorID) in sectorIDs.enumerated() {
            validator.requireReference(sectorID, in: index.sectors, at: "/sectorIds/\(i)", kind: "sector")
        }
        validator.check(Set(sectorIDs).count == sectorIDs.count, "/sectorIds", "lists a sector twice")
        validator.check(!corridorIDs.isEmpty, "/corridorIds", "a pause must cover at least one corridor")
        validator.check(Set(corridorIDs).count == corridorIDs.count, "/corridorIds", "lists a corridor twice")
        for (i, corridorID) in corridorIDs.enumerated() {
            validator.requireReference(corridorID, in: index.corridors, at: "/corridorIds/\(i)", kind: "corridor")
        }
        for (i, condition) in conditions.enumerated() {
            validator.requireText(condition, at: "/conditions/\(i)", maxLength: Limits.textLength)
        }
        for (i, guarantee) in guarantees.enumerated() {
            validator.requireReference(
                guarantee.partyID, in: index.parties, at: "/guarantees/\(i)/partyId", kind: "party")
            validator.requireText(guarantee.statement, at: "/guarantees/\(i)/statement", maxLength: Limits.textLength)
            guarantee.source.validate(at: "/guarantees/\(i)/source", into: &validator)
        }
        source.validate(at: "/source", into: &validator)
        var replay = Pause(
            id: id, operationID: operationID, name: name, windows: windows, corridorIDs: corridorIDs,
            proposedAt: proposedAt, source: source)
        for (i, step) in history.enumerated() {
            guard step.from == replay.state, step.from.canMove(to: step.to) else {
                validator.fail("/history/\(i)", "a pause cannot go from \(step.from.rawValue) to \(step.to.rawValue)")
                break
            }
            replay.validate(step, at: "/history/\(i)", into: &validator)
            replay.history.append(step)
        }
        try validator.finish()
    }

    private func validate(_ step: PauseTransition, at pointer: String, into validator: inout Validator) {
        let previous = history.last?.at ?? proposedAt
        validator.check(step.at >= previous, pointer + "/at", "is before the pause's previous step")
        validator.requireText(step.actor, at: pointer + "/actor", maxLength: Limits.nameLength)
        validator.requireText(step.reason, at: pointer + "/reason", maxLength: Limits.textLength)
        step.source.validate(at: pointer + "/source", into: &validator)
    }
}
