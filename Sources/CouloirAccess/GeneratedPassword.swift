/// Passwords made for people: 16 characters from an alphabet without look-alikes (no
/// 0/O, 1/l/I), about 92 bits, to be read out or copied once.
public enum GeneratedPassword {
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
