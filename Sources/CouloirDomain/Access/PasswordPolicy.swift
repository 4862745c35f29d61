/// Which passwords Couloir takes: long enough, not among the passwords attackers try
/// first, and not the login. Length is counted in characters as people see them, so a
/// password in Arabic or in emoji is held to the same bar as one in Latin letters.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 12
    /// A bound on what is hashed, far above any password a person types.
    public static let maximumLength = 1_024

    private let common: Set<String>

    /// `commonPasswords`: the list to refuse, compared without regard to case.
    public init(commonPasswords: some Sequence<String>) {
        common = Set(commonPasswords.map { $0.lowercased() })
    }

    public func check(_ password: String, login: String) throws(DomainError) {
        var validator = Validator()
        let lowered = password.lowercased()
        if password.count < Self.minimumLength {
            validator.fail("/password", "must be at least \(Self.minimumLength) characters")
        } else if password.count > Self.maximumLength {
            validator.fail("/password", "must be at most \(Self.maximumLength) characters")
        } else if common.contains(lowered) || common.contains(String(lowered.reversed())) {
            validator.fail("/password", "is among the passwords attackers try first")
        } else if Set(password).count < 4 {
            validator.fail("/password", "must use more than a few different characters")
        } else if !login.isEmpty, lowered.contains(login.lowercased()) {
            validator.fail("/password", "must not contain the login")
        }
        try validator.finish()
    }
}
