public import Foundation

/// How far a reported incident or claim has been checked.
public enum VerificationStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Reported by one source, not checked.
    case unverified
    /// Supported by an independent second source.
    case corroborated
    /// Confirmed by Couloir's own monitors or by conclusive evidence.
    case verified
    /// Contradicted by another source or by measurement.
    case disputed
    /// Withdrawn by its source or found false. A retracted record stays stored, so that
    /// what was once said and then withdrawn remains on the record.
    case retracted
}

/// One change of a record's verification status: when, why, and on whose word.
public struct VerificationChange: Hashable, Sendable, Codable {
    public var from: VerificationStatus
    public var to: VerificationStatus
    public var at: Date
    public var reason: String
    public var source: Source

    public init(from: VerificationStatus, to: VerificationStatus, at: Date, reason: String, source: Source) {
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
        self.source = source
    }
}

/// A record whose verification status changes over time, each change kept.
public protocol Verifiable {
    var verification: VerificationStatus { get set }
    var verificationHistory: [VerificationChange] { get set }
}

extension Verifiable {
    /// Moves the record to `status`, recording why. Any status may follow any other (a
    /// retracted claim may be reinstated), but not itself, and changes come in time order.
    public mutating func changeVerification(
        to status: VerificationStatus, at instant: Date, reason: String, source: Source
    ) throws(DomainError) {
        var validator = Validator()
        validator.check(status != verification, "/status", "is already \(status.rawValue)")
        if let last = verificationHistory.last {
            validator.check(instant >= last.at, "/at", "is before the record's previous verification change")
        }
        validator.requireText(reason, at: "/reason", maxLength: Limits.textLength)
        source.validate(at: "/source", into: &validator)
        try validator.finish()
        verificationHistory.append(
            VerificationChange(from: verification, to: status, at: instant, reason: reason, source: source))
        verification = status
    }
}
