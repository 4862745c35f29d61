public import Foundation

/// One evacuation effort: every other record belongs to exactly one operation.
///
/// Named `EvacuationOperation` rather than `Operation` so as not to collide with
/// Foundation's `Operation` in modules that import both.
public struct EvacuationOperation: Identifiable, Hashable, Sendable, Codable {
    public typealias ID = Identifier<EvacuationOperation>

    public var id: ID
    public var name: String
    /// The place the operation covers, in words.
    public var area: String
    /// The IANA time zone used for display and for daily pause windows.
    public var timeZoneIdentifier: String
    /// BCP 47 language tags, most used first.
    public var languages: [String]

    public init(id: ID = ID(), name: String, area: String, timeZoneIdentifier: String, languages: [String]) {
        self.id = id
        self.name = name
        self.area = area
        self.timeZoneIdentifier = timeZoneIdentifier
        self.languages = languages
    }

    /// The operation's time zone; valid once ``validate()`` has passed.
    public var timeZone: TimeZone {
        TimeZone(identifier: timeZoneIdentifier) ?? .gmt
    }

    public func validate() throws(DomainError) {
        var validator = Validator()
        validator.requireText(name, at: "/name", maxLength: Limits.nameLength)
        validator.requireText(area, at: "/area", maxLength: Limits.nameLength)
        validator.check(
            Self.isIANAZone(timeZoneIdentifier),
            "/timeZone", "unknown IANA time zone '\(timeZoneIdentifier)'")
        validator.check(!languages.isEmpty, "/languages", "must name at least one language")
        validator.check(languages.count <= 20, "/languages", "at most 20 languages")
        for (index, tag) in languages.enumerated() {
            validator.check(Self.isLanguageTag(tag), "/languages/\(index)", "not a BCP 47 language tag")
        }
        try validator.finish()
    }

    private static func isIANAZone(_ identifier: String) -> Bool {
        // Foundation also accepts abbreviations and offsets ("EST", "GMT+3"); the
        // operation needs a real IANA zone, whose rules follow the law's changes.
        ["UTC", "Etc/UTC"].contains(identifier) || TimeZone.knownTimeZoneIdentifiers.contains(identifier)
    }

    private static func isLanguageTag(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard tag.count <= 64, let primary = subtags.first, (2...3).contains(primary.count),
            primary.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        return subtags.dropFirst().allSatisfy {
            (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
