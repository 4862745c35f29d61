public import Foundation

extension Data {
    /// The bytes as lowercase hexadecimal, two digits a byte.
    public var hex: String {
        var digits = [UInt8](repeating: 0, count: count * 2)
        for (position, byte) in enumerated() {
            digits[2 * position] = HexDigits.lowercase[Int(byte >> 4)]
            digits[2 * position + 1] = HexDigits.lowercase[Int(byte & 0x0F)]
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The bytes of lowercase or uppercase hexadecimal text; nil for any other text.
    public init?(hex text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count.isMultiple(of: 2) else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var position = 0
        while position < utf8.count {
            guard let high = HexDigits.value(of: utf8[position]), let low = HexDigits.value(of: utf8[position + 1])
            else {
                return nil
            }
            bytes.append(high << 4 | low)
            position += 2
        }
        self.init(bytes)
    }
}

/// Hexadecimal digits, written lowercase and read in either case.
enum HexDigits {
    static let lowercase = Array("0123456789abcdef".utf8)

    static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
