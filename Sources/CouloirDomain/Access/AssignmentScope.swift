/// What of one operation falls within a principal's assignment: for a monitor, the
/// checkpoints it counts at, their corridors, the pauses covering those and the sectors
/// they join; for a party liaison, what is shared with the party: the pauses the party
/// is asked to guarantee, the corridors and sectors they cover, those corridors'
/// checkpoints, and the party itself.
public struct AssignmentScope: Hashable, Sendable {
    public var parties: Set<Party.ID> = []
    public var pauses: Set<Pause.ID> = []
    public var corridors: Set<Corridor.ID> = []
    public var sectors: Set<Sector.ID> = []
    public var checkpoints: Set<Checkpoint.ID> = []

    public init() {}

    /// Nothing of the operation is assigned.
    public var isEmpty: Bool { parties.isEmpty && checkpoints.isEmpty && pauses.isEmpty }

    public init(of assignment: Assignment, role: Role, corridors: [Corridor], pauses: [Pause], parties: Set<Party.ID>) {
        switch role {
        case .monitor:
            let assigned = Set(assignment.checkpointIDs)
            for corridor in corridors where corridor.checkpoints.contains(where: { assigned.contains($0.id) }) {
                self.corridors.insert(corridor.id)
                self.checkpoints.formUnion(corridor.checkpoints.map(\.id).filter(assigned.contains))
                sectors.insert(corridor.originSectorID)
                corridor.destinationSectorID.map { _ = sectors.insert($0) }
            }
            self.pauses = Set(pauses.filter { !self.corridors.isDisjoint(with: $0.corridorIDs) }.map(\.id))
        case .partyLiaison:
            guard let party = assignment.partyID, parties.contains(party) else { return }
            self.parties = [party]
            let shared = pauses.filter { pause in pause.guarantees.contains { $0.partyID == party } }
            self.pauses = Set(shared.map(\.id))
            self.corridors = Set(shared.flatMap(\.corridorIDs))
            sectors = Set(shared.flatMap(\.sectorIDs))
            for corridor in corridors where self.corridors.contains(corridor.id) {
                checkpoints.formUnion(corridor.checkpoints.map(\.id))
                sectors.insert(corridor.originSectorID)
                corridor.destinationSectorID.map { _ = sectors.insert($0) }
            }
        default:
            return
        }
    }

    func contains(_ key: RecordKey) -> Bool {
        switch key.kind {
        case .operation, .incident, .claim: false
        case .party: Party.ID(key.id).map(parties.contains) ?? false
        case .sector: Sector.ID(key.id).map(sectors.contains) ?? false
        case .corridor: Corridor.ID(key.id).map(corridors.contains) ?? false
        case .checkpoint: Checkpoint.ID(key.id).map(checkpoints.contains) ?? false
        case .pause: Pause.ID(key.id).map(pauses.contains) ?? false
        }
    }
}
