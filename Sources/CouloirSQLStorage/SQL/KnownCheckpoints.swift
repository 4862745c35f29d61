import CouloirDomain
import CouloirStorage
import Synchronization

/// The checkpoints known to belong to each operation. Checkpoints are never deleted nor
/// moved to another operation, so what was once read stays true: a tally naming a known
/// checkpoint is validated without reading the operation's records again.
final class KnownCheckpoints: Sendable {
    private let known = Mutex<[EvacuationOperation.ID: Set<Checkpoint.ID>]>([:])

    /// An index holding the operation's known checkpoints, if it knows all of `needed`.
    func index(of operationID: EvacuationOperation.ID, covering needed: some Sequence<Checkpoint.ID>) -> OperationIndex?
    {
        known.withLock { known in
            guard let checkpoints = known[operationID], needed.allSatisfy(checkpoints.contains) else { return nil }
            return OperationIndex(operationID: operationID, checkpoints: checkpoints)
        }
    }

    func remember(_ index: OperationIndex) {
        known.withLock { $0[index.operationID, default: []].formUnion(index.checkpoints) }
    }
}
