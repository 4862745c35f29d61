/// How the records of one operation stand to one principal, and what it may do to them.
///
/// A record is the principal's own when the principal made it or it falls within the
/// principal's assignment (`AssignmentScope`); otherwise it is of the principal's
/// organisation when that organisation made it, and of another organisation when
/// another did or nobody recorded who did (records older than ownership). A tally
/// stands as its checkpoint does, and a checkpoint made with its corridor as the
/// corridor does. `Policy` then decides. To a principal whose organisation takes no part
/// in the operation, everything in it stands as `nonMember`, out of every reach.
public struct OperationAccess: Sendable {
    public let principal: Principal
    public let operationID: EvacuationOperation.ID
    /// Whether the principal's organisation takes part in the operation.
    public let isMember: Bool
    public let scope: AssignmentScope
    let owners: [RecordKey: RecordOwner]
    /// The corridor each checkpoint stands on: a checkpoint made with its corridor
    /// belongs to whoever made the corridor.
    let corridorOf: [Checkpoint.ID: Corridor.ID]

    /// The checkpoints on the corridors it was given.
    public var knownCheckpoints: Dictionary<Checkpoint.ID, Corridor.ID>.Keys { corridorOf.keys }

    public init(
        principal: Principal, operationID: EvacuationOperation.ID, members: Set<Organisation.ID>,
        owners: [RecordKey: RecordOwner], corridors: [Corridor], pauses: [Pause], parties: [Party]
    ) {
        self.principal = principal
        self.operationID = operationID
        isMember = members.contains(principal.organisationID)
        self.owners = owners
        corridorOf = Dictionary(
            corridors.flatMap { corridor in corridor.checkpoints.map { ($0.id, corridor.id) } },
            uniquingKeysWith: { first, _ in first })
        scope = AssignmentScope(
            of: principal.assignment, role: principal.role, corridors: corridors, pauses: pauses,
            parties: Set(parties.map(\.id)))
    }

    /// How the operation itself stands: the principal's own when it made it or is
    /// assigned anything in it.
    public var operationRelation: Relation {
        guard isMember else { return .nonMember }
        return scope.isEmpty ? relation(to: RecordKey(.operation, operationID)) : .own
    }

    public func relation(to key: RecordKey) -> Relation {
        guard isMember else { return .nonMember }
        if scope.contains(key) { return .own }
        return Self.relation(of: owner(of: key), to: principal)
    }

    /// Who made the record; for a checkpoint made with its corridor, who made the corridor.
    func owner(of key: RecordKey) -> RecordOwner? {
        if let owner = owners[key] { return owner }
        guard key.kind == .checkpoint, let checkpoint = Checkpoint.ID(key.id), let corridor = corridorOf[checkpoint]
        else { return nil }
        return owners[RecordKey(.corridor, corridor)]
    }

    public func relation(toTallyAt checkpointID: Checkpoint.ID) -> Relation {
        relation(to: RecordKey(.checkpoint, checkpointID))
    }

    /// An incident is also the principal's own when it happened on a corridor or in a
    /// sector of its assignment.
    public func relation(to incident: Incident) -> Relation {
        guard isMember else { return .nonMember }
        return switch incident.place {
        case .corridor(let id) where scope.corridors.contains(id): .own
        case .sector(let id) where scope.sectors.contains(id): .own
        default: relation(to: RecordKey(.incident, incident.id))
        }
    }

    /// A claim is also a party liaison's own when it is attributed to their party.
    public func relation(to claim: Claim) -> Relation {
        guard isMember else { return .nonMember }
        if let party = claim.partyID, scope.parties.contains(party) { return .own }
        return relation(to: RecordKey(.claim, claim.id))
    }

    /// Whether the principal may do `action` to a record standing in `relation`. Who
    /// takes part in an operation is its lead organisation's decision alone: another
    /// member's administrator, a party's among them, manages no membership.
    public func may(_ action: Action, on relation: Relation) -> Bool {
        guard principal.may(action, on: relation) else { return false }
        if action == .manageMembers, let lead = leadOrganisationID { return lead == principal.organisationID }
        return true
    }

    /// The organisation that runs the operation: the one that made it, which no other
    /// member can remove. Nil for an operation made by the system with nobody's
    /// organisation recorded (a database from before ownership was kept), where every
    /// member's administrator manages members as before.
    public var leadOrganisationID: Organisation.ID? {
        owners[RecordKey(.operation, operationID)]?.organisationID
    }

    /// How a record stands to `principal` by who made it alone.
    public static func relation(of owner: RecordOwner?, to principal: Principal) -> Relation {
        guard let owner else { return .otherOrganisation }
        if owner.actor == principal.actor { return .own }
        return owner.organisationID == principal.organisationID ? .sameOrganisation : .otherOrganisation
    }
}
