import Foundation

/// JSON written into bytes as the generated server's converter writes it: strings
/// escaped as it escapes them (quotes, backslashes and control characters, nothing
/// else), numbers as Swift's shortest text without a trailing `.0`, instants through
/// the API's transcoder.
struct JSONBytes {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func integer(_ value: some BinaryInteger) { bytes.append(contentsOf: value.description.utf8) }

    /// A number; the runtime refuses one that is not finite, and so does this.
    mutating func double(_ value: Double) throws(CompactJSONEncoder.Unsupported) {
        guard value.isFinite else { throw CompactJSONEncoder.Unsupported(description: "a number that is not finite") }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func date(_ value: Date) { string(RFC3339Transcoder.text(of: value)) }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plain = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain..<index]))
                plain = index + 1
                switch byte {
                case 0x22: bytes.append(contentsOf: #"\""#.utf8)
                case 0x5C: bytes.append(contentsOf: #"\\"#.utf8)
                case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
                case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
                case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
                case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
                case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: #"\u00"#.utf8)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: Objects written by hand, members in key order

    /// Opens an object; `key` and `optional` write its members, which the caller gives
    /// in the order of their keys' bytes.
    mutating func object<Failure: Error>(
        _ members: (inout JSONBytes, inout Bool) throws(Failure) -> Void
    ) throws(Failure) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        try members(&self, &first)
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func key(_ key: StaticString, first: inout Bool) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(contentsOf: "\":".utf8)
    }

    /// A member left out when `value` is absent, as the generated types leave it out.
    mutating func optional<Value>(
        _ key: StaticString, _ value: Value?, first: inout Bool, _ write: (inout JSONBytes, Value) -> Void
    ) {
        guard let value else { return }
        self.key(key, first: &first)
        write(&self, value)
    }

    mutating func array<Element, Failure: Error>(
        _ elements: [Element], _ write: (inout JSONBytes, Element) throws(Failure) -> Void
    ) throws(Failure) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            try write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

/// A value that writes its own JSON, with the bytes its generated `Encodable`
/// conformance would give through the runtime's encoder; tests hold each to that.
protocol JSONBytesWritable {
    func write(to out: inout JSONBytes) throws(CompactJSONEncoder.Unsupported)
}
