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
    /// Withdrawn by its source or found false.
    case retracted
}
