public import Foundation

/// A figure or statement attributed to a source at a time, kept so that every claimed
/// figure can stand beside the figure Couloir measured.
public struct Claim: Identifiable, Hashable, Sendable, Codable, Verifiable {
    public typealias ID = Identifier<Claim>

    public var id: ID
    public var operationID: EvacuationOperation.ID
    public var kind: Kind
    /// The claimed figure, in the unit the kind implies; none for a plain statement.
    public var value: Double?
    /// The words as published, in their original language.
    public var statement: String
    /// An English rendering, where the statement is in another language.
    public var translation: String?
    public var madeAt: Date
    /// The party the claim is attributed to, where it is one of the operation's parties.
    public var partyID: Party.ID?
    public var source: Source
    public var verification: VerificationStatus
    /// Every change of `verification`, oldest first.
    public var verificationHistory: [VerificationChange]

    public init(
        id: ID = ID(),
        operationID: EvacuationOperation.ID,
        kind: Kind,
        value: Double? = nil,
        statement: String,
        translation: String? = nil,
        madeAt: Date,
        partyID: Party.ID? = nil,
        source: Source,
        verification: VerificationStatus = .unverified,
        verificationHistory: [VerificationChange] = []
    ) {
        self.id = id
        self.operationID = operationID
        self.kind = kind
        self.value = value
        self.statement = statement
        self.translation = translation
        self.madeAt = madeAt
        self.partyID = partyID
        self.source = source
        self.verification = verification
        self.verificationHistory = verificationHistory
    }

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// Share of the area a party controls, in percent.
        case controlShare
        /// People who left, a count.
        case peopleEvacuated
        /// People still in the area, a count.
        case peopleRemaining
        /// Corridors open, a count.
        case corridorsOpen
        /// A statement with no figure (a flow described in words, an accusation).
        case statement

        /// Whether a claim of this kind must carry a value.
        public var hasFigure: Bool { self != .statement }
    }

    public func validate(in index: OperationIndex) throws(DomainError) {
        var validator = Validator()
        validator.check(operationID == index.operationID, "/operationId", "does not match the operation")
        if kind.hasFigure {
            if let value {
                validator.check(
                    value.isFinite && value >= 0 && value <= Limits.claimedFigure, "/value",
                    "must be a number from 0 to \(Int(Limits.claimedFigure))")
                if kind == .controlShare {
                    validator.check(value <= 100, "/value", "a control share is a percentage, at most 100")
                }
            } else {
                validator.fail("/value", "a \(kind.rawValue) claim must give its figure")
            }
        } else {
            validator.check(value == nil, "/value", "a statement carries no figure")
        }
        validator.requireText(statement, at: "/statement", maxLength: Limits.textLength)
        if let translation {
            validator.requireText(translation, at: "/translation", maxLength: Limits.textLength)
        }
        if let partyID {
            validator.requireReference(partyID, in: index.parties, at: "/partyId", kind: "party")
        }
        source.validate(at: "/source", into: &validator)
        try validator.finish()
    }
}
