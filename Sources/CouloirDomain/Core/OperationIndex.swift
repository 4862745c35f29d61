/// The ids that exist in one operation, so that a record can be checked for references
/// to records of another operation without the domain reading any storage.
public struct OperationIndex: Sendable {
    public var operationID: EvacuationOperation.ID
    public var parties: Set<Party.ID>
    public var sectors: Set<Sector.ID>
    public var corridors: Set<Corridor.ID>
    public var checkpoints: Set<Checkpoint.ID>
    public var pauses: Set<Pause.ID>

    public init(
        operationID: EvacuationOperation.ID,
        parties: Set<Party.ID> = [],
        sectors: Set<Sector.ID> = [],
        corridors: Set<Corridor.ID> = [],
        checkpoints: Set<Checkpoint.ID> = [],
        pauses: Set<Pause.ID> = []
    ) {
        self.operationID = operationID
        self.parties = parties
        self.sectors = sectors
        self.corridors = corridors
        self.checkpoints = checkpoints
        self.pauses = pauses
    }
}

extension Validator {
    mutating func requireReference<T>(
        _ id: Identifier<T>, in known: Set<Identifier<T>>, at pointer: String, kind: String
    ) {
        check(known.contains(id), pointer, FieldIssue.unknownReference(kind, id, at: pointer).reason)
    }
}
