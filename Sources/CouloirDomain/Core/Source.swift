/// Where a figure or a statement comes from. Every figure Couloir stores or shows
/// carries one (rule 3 of the product brief).
public struct Source: Hashable, Sendable, Codable {
    /// Who said or measured it: an organisation, a monitoring team, a named spokesperson.
    public var name: String
    public var kind: SourceKind
    /// Where it was published or recorded: a report, an article, a message.
    public var reference: String?
    /// True when the record was made up for a demonstration and is no real observation.
    public var illustrative: Bool

    public init(name: String, kind: SourceKind, reference: String? = nil, illustrative: Bool = false) {
        self.name = name
        self.kind = kind
        self.reference = reference
        self.illustrative = illustrative
    }

    func validate(at pointer: String, into validator: inout Validator) {
        validator.requireText(name, at: pointer + "/name", maxLength: Limits.nameLength)
        if let reference {
            validator.requireText(reference, at: pointer + "/reference", maxLength: Limits.textLength)
        }
    }
}

public enum SourceKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A party to the conflict.
    case party
    /// A UN agency or an authority.
    case agency
    /// A field monitoring team.
    case monitor
    /// A news agency or newspaper.
    case press
    /// The coordination cell running Couloir.
    case coordinator
}
