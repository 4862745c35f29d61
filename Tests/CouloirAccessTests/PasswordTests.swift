import CouloirAccess
import CouloirDomain
import HummingbirdBcrypt
import Testing

@Suite struct PasswordTests {
    /// Fast enough for tests; production uses the default, 12.
    let hasher = PasswordHasher(cost: 4)

    static let longPairs: [(String, String)] = [
        (
            String(repeating: "كلمة سر طويلة جدا ", count: 8) + "أ",
            String(repeating: "كلمة سر طويلة جدا ", count: 8) + "ب"
        ),
        (String(repeating: "🚑🏳️🕊️", count: 30) + "🚌", String(repeating: "🚑🏳️🕊️", count: 30) + "🚐"),
        (String(repeating: "corridor-", count: 12) + "a", String(repeating: "corridor-", count: 12) + "b"),
    ]

    @Test(arguments: longPairs)
    func everyCharacterOfALongPasswordCounts(_ password: String, _ other: String) async throws {
        // bcrypt alone reads 72 bytes: both would pass for each other.
        #expect(Bcrypt.verify(other, hash: Bcrypt.hash(password, cost: 4)))
        let hash = try await hasher.hash(password)
        #expect(try await hasher.verify(password, against: hash))
        #expect(try await !hasher.verify(other, against: hash))
    }

    @Test func aPasswordTypedComposedOrDecomposedIsTheSame() async throws {
        let composed = "Caf\u{E9} de la Paix 2016"
        let decomposed = "Cafe\u{301} de la Paix 2016"
        #expect(composed.unicodeScalars.count != decomposed.unicodeScalars.count)
        #expect(try await hasher.verify(decomposed, against: try await hasher.hash(composed)))
    }

    @Test func productionHashesUseBcryptAtCostTwelve() async throws {
        let hash = try await PasswordHasher().hash("a long enough passphrase")
        #expect(hash.hasPrefix("$2b$12$"))
    }

    @Test(arguments: [
        ("QwertY123456", "is among the passwords attackers try first"),
        ("qwertyuiop123", "is among the passwords attackers try first"),
        ("iloveyou", "must be at least 12 characters"),
        ("vfrcdexswzaq", "is among the passwords attackers try first"),
        ("aaaaaaaaaaaaaaaa", "must use more than a few different characters"),
        ("monitor.hanano-2016!", "must not contain the login"),
    ])
    func weakPasswordsAreRefusedWithTheReason(_ password: String, _ reason: String) throws {
        let policy = try PasswordPolicy.standard()
        #expect(throws: DomainError.invalid([FieldIssue("/password", reason)])) {
            try policy.check(password, login: "monitor.hanano")
        }
    }

    @Test(arguments: ["ممر إنساني آمن للجميع", "🚑🏳️🕊️🚌🧒👵🚐🏥🌙⭐️🌿🕯️", "correct horse battery staple"])
    func longPasswordsInAnyScriptAreAccepted(_ password: String) throws {
        try PasswordPolicy.standard().check(password, login: "monitor.hanano")
    }

    @Test func tokenSecretsAreLongRandomAndStoredOnlyAsADigest() {
        let secrets = (0..<1_000).map { _ in TokenSecret.generate() }
        #expect(Set(secrets).count == secrets.count)
        for secret in secrets.prefix(10) {
            #expect(secret.hasPrefix("couloir_"))
            #expect(secret.count == 8 + 43)
            let digest = TokenSecret.digest(secret)
            #expect(digest.count == 64)
            #expect(!digest.contains(secret.dropFirst(8)))
        }
    }
}
