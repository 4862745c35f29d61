/// Who made a change, as the audit log and ownership name it: a signed-in user, a device
/// or script by its token, or Couloir itself doing something on its own account (loading
/// the demo, a command run by whoever holds the database).
public enum Actor: Hashable, Sendable, CustomStringConvertible {
    case user(User.ID)
    case device(AccessToken.ID)
    /// Couloir itself, for a named reason: `demo`, `cli`, `api`.
    case system(String)

    /// `user:<id>`, `device:<id>` or `system:<name>`, as the audit log writes it.
    public var description: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .device(let id): "device:\(id)"
        case .system(let name): "system:\(name)"
        }
    }

    /// The actor `description` wrote; `nil` for any other text.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let kind = text[..<colon]
        let rest = String(text[text.index(after: colon)...])
        switch kind {
        case "user":
            guard let id = User.ID(rest) else { return nil }
            self = .user(id)
        case "device":
            guard let id = AccessToken.ID(rest) else { return nil }
            self = .device(id)
        case "system":
            guard !rest.isEmpty else { return nil }
            self = .system(rest)
        default: return nil
        }
    }
}
