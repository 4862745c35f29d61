/// One field at fault: a JSON pointer (RFC 6901) into the submitted record, and why.
public struct FieldIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var pointer: String
    public var reason: String

    public init(_ pointer: String, _ reason: String) {
        self.pointer = pointer
        self.reason = reason
    }

    public var description: String { "\(pointer): \(reason)" }

    /// A reference to a record the operation does not hold, worded the same wherever it
    /// is found, so that a record the caller may not see reads as one that is not there.
    public static func unknownReference(_ kind: String, _ id: some CustomStringConvertible, at pointer: String)
        -> FieldIssue
    {
        FieldIssue(pointer, "no \(kind) \(id) in this operation")
    }
}

/// Gathers every issue of a record at once, so that a client learns all it must fix
/// from one answer.
public struct Validator: Sendable {
    public private(set) var issues: [FieldIssue] = []

    public init() {}

    public mutating func fail(_ pointer: String, _ reason: String) {
        issues.append(FieldIssue(pointer, reason))
    }

    public mutating func check(_ condition: Bool, _ pointer: String, _ reason: @autoclosure () -> String) {
        if !condition { fail(pointer, reason()) }
    }

    /// Text of 1 to `maxLength` characters, not only white space, without control
    /// characters but tabs and line breaks, and without noncharacters (U+FFFE, U+FDD0…),
    /// which XML cannot carry: a checkpoint's name goes into ODK Collect's form. Characters are counted as Unicode scalars,
    /// so that a letter carrying a hundred thousand combining marks is not one
    /// character short of any limit.
    public mutating func requireText(_ text: String, at pointer: String, maxLength: Int) {
        if text.allSatisfy(\.isWhitespace) {
            fail(pointer, "must not be empty")
        } else if text.unicodeScalars.count > maxLength {
            fail(pointer, "must be at most \(maxLength) characters")
        } else if text.unicodeScalars.contains(where: Self.isControl) {
            fail(pointer, "holds a control character (such as NUL); text may hold tabs and line breaks only")
        } else if text.unicodeScalars.contains(where: Self.isNoncharacter) {
            fail(pointer, "holds a control character or a noncharacter (such as U+FFFE), which text cannot hold")
        }
    }

    /// The scalars Unicode sets aside for internal use: U+FDD0…U+FDEF and the last two of
    /// every plane.
    static func isNoncharacter(_ scalar: Unicode.Scalar) -> Bool {
        (0xFDD0...0xFDEF).contains(scalar.value) || scalar.value & 0xFFFE == 0xFFFE
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00..<0x20, 0x7F..<0xA0: true
        default: false
        }
    }

    public mutating func requireCount(_ value: Int, at pointer: String, maximum: Int) {
        if value < 0 {
            fail(pointer, "must not be negative")
        } else if value > maximum {
            fail(pointer, "must be at most \(maximum)")
        }
    }

    /// Throws ``DomainError/invalid(_:)`` when any issue was found.
    public func finish() throws(DomainError) {
        if !issues.isEmpty { throw .invalid(issues) }
    }
}
