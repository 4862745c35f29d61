/// A party to the conflict, an authority, or an organisation.
public struct Party: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<Party>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var name: String
    public var kind: PartyKind

    public init(id: ID = ID(), operationID: EvacuationOperation.ID, name: String, kind: PartyKind) {
        self.id = id
        self.operationID = operationID
        self.name = name
        self.kind = kind
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        try validator.finish()
    }
}

public enum PartyKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// An armed party to the conflict (a government's forces, an armed group).
    case belligerent
    /// A civil authority (a ministry, a local council).
    case authority
    /// A United Nations agency or office.
    case unAgency
    /// A Red Cross or Red Crescent society, or the ICRC.
    case redCrossRedCrescent
    /// A non-governmental organisation.
    case ngo
    /// A state or body that is not a party but mediates or guarantees.
    case mediator
}
