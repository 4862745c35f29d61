/// JSON read as RFC 8259 writes it, and nothing looser: UTF-8 without a byte order mark,
/// no trailing commas, no comments, no duplicate keys (which a lenient reader resolves by
/// taking one silently), nesting bounded. A string may hold no control character but
/// tab, line feed and carriage return: text stored cut at a NUL, or carrying invisible
/// controls, is refused, naming the member.
enum StrictJSON {
    static let maximumDepth = 64

    enum Failure: Error, Equatable {
        /// Not JSON at all, or not strict JSON: why, and at which byte.
        case malformed(String, at: Int)
        /// A string, at this JSON pointer, holds a control character.
        case controlCharacter(pointer: String)
    }

    static func check(_ bytes: [UInt8]) throws(Failure) {
        _ = try parse(bytes)
    }

    /// The document `bytes` hold, when they are strict JSON.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> Document {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw .malformed("a byte order mark opens the body", at: 0) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .malformed("the body is not UTF-8", at: 0)
        }
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let root = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == bytes.count else { throw .malformed("something follows the value", at: reader.offset) }
        return Document(bytes: bytes, root: root)
    }

    /// A value of a strict JSON document. Strings and numbers stay where they lie in the
    /// document's bytes until asked for.
    enum Value {
        case object([Member])
        case array([Value])
        /// The bytes between the quotes; `escaped` when they hold an escape.
        case string(Range<Int>, escaped: Bool)
        case number(Range<Int>)
        case bool(Bool)
        case null
    }

    struct Member {
        let name: String
        let value: Value
    }

    /// A strict JSON document: its bytes and what they hold.
    struct Document {
        let bytes: [UInt8]
        let root: Value

        /// The text of a string value; `nil` for any other value.
        func text(_ value: Value) -> String? {
            guard case .string(let range, let escaped) = value else { return nil }
            guard escaped else { return String(decoding: bytes[range], as: UTF8.self) }
            var reader = Reader(bytes: bytes, offset: range.lowerBound - 1)
            return try? reader.escapedString()
        }

        /// An object's members by name, when it is an object and each is `known`.
        func members(of value: Value, known: Set<String>) -> [String: Value]? {
            guard case .object(let members) = value else { return nil }
            var byName: [String: Value] = [:]
            byName.reserveCapacity(members.count)
            for member in members {
                guard known.contains(member.name) else { return nil }
                byName[member.name] = member.value
            }
            return byName
        }

        /// `true` or `false`; `nil` for any other value.
        func bool(_ value: Value) -> Bool? {
            guard case .bool(let bool) = value else { return nil }
            return bool
        }

        /// A member that may be absent or null: `.some(nil)` then, `.some(read)` when it
        /// reads, `nil` when it is there and does not.
        func optional<T>(_ value: Value?, _ read: (Value) -> T?) -> T?? {
            guard let value else { return .some(nil) }
            if case .null = value { return .some(nil) }
            guard let read = read(value) else { return nil }
            return .some(read)
        }

        /// The value of a number written as a whole number (no fraction, no exponent)
        /// that fits an `Int`; `nil` for any other value.
        func integer(_ value: Value) -> Int? {
            guard case .number(let range) = value else { return nil }
            var result = 0
            var negative = false
            for index in range {
                let byte = bytes[index]
                if index == range.lowerBound, byte == UInt8(ascii: "-") {
                    negative = true
                    continue
                }
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                let (times, overflow) = result.multipliedReportingOverflow(by: 10)
                let (sum, overflowAgain) =
                    negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
                guard !overflow, !overflowAgain else { return nil }
                result = sum
            }
            return result
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        /// Where the reader is, only spelt out as a pointer when a failure names it.
        var path: [Step] = []

        enum Step {
            case member(String)
            case index(Int)
        }

        var pointer: String {
            path.isEmpty
                ? "/"
                : path.map { step in
                    switch step {
                    case .index(let index): "/\(index)"
                    case .member(let name):
                        "/" + name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                    }
                }
                .joined()
        }

        var next: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skipSpace() {
            while let byte = next, [0x20, 0x09, 0x0A, 0x0D].contains(byte) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
            guard next == byte else { throw .malformed("expected \(what)", at: offset) }
            offset += 1
        }

        mutating func value(depth: Int) throws(Failure) -> Value {
            guard depth < StrictJSON.maximumDepth else { throw .malformed("nested too deep", at: offset) }
            guard let byte = next else { throw .malformed("expected a value", at: offset) }
            switch byte {
            case UInt8(ascii: "{"): return .object(try object(depth: depth))
            case UInt8(ascii: "["): return .array(try array(depth: depth))
            case UInt8(ascii: "\""): return try stringInPlace()
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = offset
                try number()
                return .number(start..<offset)
            default: throw .malformed("expected a value", at: offset)
            }
        }

        mutating func object(depth: Int) throws(Failure) -> [Member] {
            offset += 1
            skipSpace()
            if next == UInt8(ascii: "}") {
                offset += 1
                return []
            }
            var members: [Member] = []
            var keys = MemberNames()
            while true {
                let at = offset
                guard next == UInt8(ascii: "\"") else { throw .malformed("expected a member's name", at: offset) }
                let key = try string()
                guard keys.insert(key) else { throw .malformed("the member \"\(key)\" appears twice", at: at) }
                skipSpace()
                try expect(UInt8(ascii: ":"), "':'")
                skipSpace()
                path.append(.member(key))
                members.append(Member(name: key, value: try value(depth: depth + 1)))
                path.removeLast()
                skipSpace()
                if next == UInt8(ascii: ",") {
                    offset += 1
                    skipSpace()
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return members
            }
        }

        mutating func array(depth: Int) throws(Failure) -> [Value] {
            offset += 1
            skipSpace()
            if next == UInt8(ascii: "]") {
                offset += 1
                return []
            }
            var elements: [Value] = []
            while true {
                path.append(.index(elements.count))
                elements.append(try value(depth: depth + 1))
                path.removeLast()
                skipSpace()
                if next == UInt8(ascii: ",") {
                    offset += 1
                    skipSpace()
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return elements
            }
        }

        /// Reads past a string, leaving its text where it lies; refuses a control
        /// character in it.
        mutating func stringInPlace() throws(Failure) -> Value {
            let start = offset + 1
            if let end = try plainEnd() {
                offset = end + 1
                return .string(start..<end, escaped: false)
            }
            _ = try escapedString()
            return .string(start..<(offset - 1), escaped: true)
        }

        /// Reads a string and returns its text; refuses a control character in it.
        mutating func string() throws(Failure) -> String {
            guard let end = try plainEnd() else { return try escapedString() }
            defer { offset = end + 1 }
            return String(decoding: bytes[(offset + 1)..<end], as: UTF8.self)
        }

        /// The offset of the closing quote of the string that opens at `offset`, when it
        /// holds no escape, as most strings do: its bytes are its text, checked where they
        /// lie. `nil` for a string with an escape; the offset does not move.
        func plainEnd() throws(Failure) -> Int? {
            var index = offset + 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""): return index
                case UInt8(ascii: "\\"): return nil
                case 0x00..<0x20, 0x7F: throw .controlCharacter(pointer: pointer)
                // U+0080 to U+009F, the C1 controls, are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
                case 0xC2 where index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]):
                    throw .controlCharacter(pointer: pointer)
                default: index += 1
                }
            }
            throw .malformed("a string is not closed", at: index)
        }

        /// Reads a string holding escapes and returns its text; refuses a control
        /// character in it, escaped or not.
        mutating func escapedString() throws(Failure) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars) }
                raw.removeAll()
            }
            while true {
                guard let byte = next else { throw .malformed("a string is not closed", at: offset) }
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    if scalars.contains(where: Self.isControl) { throw .controlCharacter(pointer: pointer) }
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard let escaped = next else { throw .malformed("a string is not closed", at: offset) }
                    offset += 1
                    switch escaped {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
                    default: throw .malformed("an unknown escape in a string", at: offset - 1)
                    }
                case 0x00..<0x20:
                    throw .controlCharacter(pointer: pointer)
                default:
                    raw.append(byte)
                }
            }
        }

        /// The scalar of a `\uXXXX` escape, reading the second half of a surrogate pair.
        mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first) {
                guard next == UInt8(ascii: "\\"), offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: "u")
                else { throw .malformed("half a surrogate pair", at: offset) }
                offset += 2
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second) else { throw .malformed("half a surrogate pair", at: offset) }
                return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(first) else { throw .malformed("half a surrogate pair", at: offset) }
            return scalar
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            guard offset + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
            else { throw .malformed("a \\u escape needs four hexadecimal digits", at: offset) }
            offset += 4
            return value
        }

        /// The names of one object's members: a list while there are few, as there
        /// almost always are, a set beyond.
        struct MemberNames {
            private var few: [String] = []
            private var many: Set<String>?

            /// Whether `name` is new.
            mutating func insert(_ name: String) -> Bool {
                if many != nil { return many!.insert(name).inserted }
                if few.contains(name) { return false }
                few.append(name)
                if few.count > 16 { many = Set(few) }
                return true
            }
        }

        static func isControl(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0x00..<0x20, 0x7F..<0xA0: true
            default: false
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            let expected = Array(word.utf8)
            guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected
            else { throw .malformed("expected a value", at: offset) }
            offset += expected.count
        }

        mutating func number() throws(Failure) {
            if next == UInt8(ascii: "-") { offset += 1 }
            func digits() -> Int {
                let start = offset
                while let byte = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
                return offset - start
            }
            if next == UInt8(ascii: "0") {
                offset += 1
            } else if digits() == 0 {
                throw .malformed("a number needs digits", at: offset)
            }
            if next == UInt8(ascii: ".") {
                offset += 1
                guard digits() > 0 else { throw .malformed("a number needs digits after '.'", at: offset) }
            }
            if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
                offset += 1
                if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw .malformed("an exponent needs digits", at: offset) }
            }
        }
    }
}
