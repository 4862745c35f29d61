public import Foundation

/// A record's identity: a UUID tagged with the kind of record it names, so that a
/// corridor's id can never be passed where a sector's is expected.
public struct Identifier<Entity>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID = UUID()) {
        self.rawValue = rawValue
    }

    /// The id a UUID's 36 characters name; `nil` for anything else (a NUL and what
    /// follows it included, which a C reader would cut off).
    public init?(_ string: String) {
        guard string.utf8.count == 36, !string.utf8.contains(0), let uuid = UUID(uuidString: string) else {
            return nil
        }
        self.rawValue = uuid
    }

    /// Lower-case, as RFC 9562 recommends for output.
    public var description: String { rawValue.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
