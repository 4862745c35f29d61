/// The kinds of record an operation holds, as the audit log and ownership name them.
public enum RecordKind: String, Hashable, Sendable, CaseIterable {
    case operation
    case party
    case sector
    case corridor
    case checkpoint
    case pause
    case incident
    case claim

    /// What a principal must be allowed to see a record of this kind at all.
    public var readAction: Action {
        switch self {
        case .incident, .claim: .readReports
        default: .readPlan
        }
    }
}

/// One record, by kind and id.
public struct RecordKey: Hashable, Sendable {
    public var kind: RecordKind
    public var id: String

    public init(_ kind: RecordKind, _ id: some CustomStringConvertible) {
        self.kind = kind
        self.id = id.description
    }
}
