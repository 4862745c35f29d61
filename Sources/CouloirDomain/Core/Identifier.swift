public import Foundation

/// A record's identity: a UUID tagged with the kind of record it names, so that a
/// corridor's id can never be passed where a sector's is expected.
public struct Identifier<Entity>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID = UUID()) {
        self.rawValue = rawValue
    }

    /// The id a UUID's 36 characters name, in either case; `nil` for anything else (a
    /// NUL and what follows it included, which a C reader would cut off).
    public init?(_ string: String) {
        guard let uuid = UUIDText.parse(string) else { return nil }
        self.rawValue = uuid
    }

    /// Lower-case, as RFC 9562 recommends for output.
    public var description: String { UUIDText.lowercase(rawValue) }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A UUID's text, `8-4-4-4-12` hexadecimal digits, read and written without the C
/// library's formatted input and output that `UUID` goes through: every id of every
/// request and every row passes here.
enum UUIDText {
    static func lowercase(_ uuid: UUID) -> String {
        let bytes = uuid.uuid
        return withUnsafeBytes(of: bytes) { raw in
            String(unsafeUninitializedCapacity: 36) { text in
                var position = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = HexDigits.lowercase[Int(byte >> 4)]
                    text[position + 1] = HexDigits.lowercase[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }

    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var byte = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard utf8[position] == UInt8(ascii: "-") else { return nil }
                    position += 1
                    continue
                }
                guard let high = HexDigits.value(of: utf8[position]), let low = HexDigits.value(of: utf8[position + 1])
                else { return nil }
                bytes[byte] = high << 4 | low
                byte += 1
                position += 2
            }
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
        }
    }
}
