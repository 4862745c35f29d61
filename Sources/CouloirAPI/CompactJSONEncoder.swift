import Foundation

/// Writes an `Encodable` value with the bytes the generated server's converter writes
/// (compact, each object's members sorted by key, slashes unescaped, instants through
/// the transcoder) at a fraction of its cost. The runtime's encoder builds a tree of
/// values with a dictionary for each object, tracks the coding path and then writes the
/// tree; this one writes bytes as the value encodes itself and, when an object is done,
/// puts its members in order by moving their spans of bytes.
///
/// What it cannot write as the runtime would (a `Data`, a `Decimal`, a `Float`, a
/// number that is not finite, a nested container or a super-encoder, which the
/// generated types never ask for) makes `encode` throw, and the caller writes the value
/// the runtime's way instead.
struct CompactJSONEncoder {
    struct Unsupported: Error, CustomStringConvertible {
        let description: String
    }

    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let value = value as? any JSONBytesWritable {
            var out = JSONBytes()
            try value.write(to: &out)
            return out.bytes
        }
        let writer = CompactJSONWriter()
        try writer.value(value)
        if let unsupported = writer.unsupported { throw Unsupported(description: unsupported) }
        return writer.bytes
    }
}

/// The encoder `CompactJSONEncoder` hands to each value: the bytes written so far, and
/// a frame for each value being written, innermost last.
final class CompactJSONWriter: Encoder {
    fileprivate struct Member {
        let key: String
        /// Where `"key":value` starts and ends in `bytes`, without the comma before it.
        let start: Int
        let end: Int
    }

    fileprivate struct Frame {
        enum Shape { case unknown, object, array, single }
        let start: Int
        var shape = Shape.unknown
        var members: [Member] = []
        var elements = 0
    }

    fileprivate var out = JSONBytes()
    var bytes: [UInt8] { out.bytes }
    private(set) var unsupported: String?
    private var frames: [Frame] = []

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let frame = frames.count - 1
        switch frames[frame].shape {
        case .object: break
        case .unknown:
            frames[frame].shape = .object
            out.bytes.append(UInt8(ascii: "{"))
        case .array, .single:
            return refuse("a keyed container over another container")
        }
        return KeyedEncodingContainer(ObjectContainer(writer: self, frame: frame))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let frame = frames.count - 1
        switch frames[frame].shape {
        case .array: break
        case .unknown:
            frames[frame].shape = .array
            out.bytes.append(UInt8(ascii: "["))
        case .object, .single:
            return refuse("an unkeyed container over another container")
        }
        return ArrayContainer(writer: self, frame: frame)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let frame = frames.count - 1
        guard frames[frame].shape == .unknown else { return refuse("a single value over another container") }
        frames[frame].shape = .single
        return SingleContainer(writer: self)
    }

    /// Records why the value cannot be written here, and hands back a container (or the
    /// encoder) of a writer nobody reads, so that the value's `encode(to:)` can finish.
    fileprivate func refuse<Container>(_ what: String, _ container: (CompactJSONWriter) -> Container) -> Container {
        if unsupported == nil { unsupported = what }
        let discarded = CompactJSONWriter()
        discarded.frames.append(Frame(start: 0))
        return container(discarded)
    }

    fileprivate func refuse<Key: CodingKey>(_ what: String) -> KeyedEncodingContainer<Key> {
        refuse(what) { $0.container(keyedBy: Key.self) }
    }

    fileprivate func refuse(_ what: String) -> any UnkeyedEncodingContainer {
        refuse(what) { $0.unkeyedContainer() }
    }

    fileprivate func refuse(_ what: String) -> any SingleValueEncodingContainer {
        refuse(what) { $0.singleValueContainer() }
    }

    // MARK: Values

    /// Writes any value: the types JSON writes plainly here, anything else through its
    /// own `encode(to:)` in a frame of its own.
    fileprivate func value<T: Encodable>(_ value: T) throws {
        if T.self == Date.self {
            out.date(value as! Date)
        } else if T.self == URL.self {
            out.string((value as! URL).absoluteString)
        } else if T.self == Data.self || T.self == Decimal.self || T.self == Float.self {
            if unsupported == nil { unsupported = "a \(T.self)" }
        } else {
            frames.append(Frame(start: out.bytes.count))
            try value.encode(to: self)
            close(frames.removeLast())
        }
    }

    private func close(_ frame: Frame) {
        switch frame.shape {
        case .unknown: out.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case .single: break
        case .array: out.bytes.append(UInt8(ascii: "]"))
        case .object: closeObject(frame)
        }
    }

    /// Ends an object with its members in the order of their keys' bytes; of a key
    /// written twice, the last value stands, as in the runtime's dictionary.
    private func closeObject(_ frame: Frame) {
        let members = frame.members
        var ordered = true
        for index in members.indices.dropFirst()
        where !members[index - 1].key.utf8.lexicographicallyPrecedes(members[index].key.utf8) {
            ordered = false
            break
        }
        if ordered {
            out.bytes.append(UInt8(ascii: "}"))
            return
        }
        let sorted = members.enumerated().sorted { left, right in
            left.element.key == right.element.key
                ? left.offset < right.offset : left.element.key.utf8.lexicographicallyPrecedes(right.element.key.utf8)
        }.map(\.element)
        var object: [UInt8] = [UInt8(ascii: "{")]
        object.reserveCapacity(out.bytes.count - frame.start + 1)
        for (index, member) in sorted.enumerated()
        where index + 1 == sorted.count || sorted[index + 1].key != member.key {
            if object.count > 1 { object.append(UInt8(ascii: ",")) }
            object.append(contentsOf: out.bytes[member.start..<member.end])
        }
        object.append(UInt8(ascii: "}"))
        out.bytes.replaceSubrange(frame.start..<out.bytes.count, with: object)
    }

    fileprivate func double(_ value: Double) {
        do { try out.double(value) } catch { if unsupported == nil { unsupported = error.description } }
    }

    // MARK: Members and elements

    /// Starts a member of the object of `frame`: the comma before it, its key.
    fileprivate func beginMember(_ key: String, of frame: Int) -> Int {
        if !frames[frame].members.isEmpty { out.bytes.append(UInt8(ascii: ",")) }
        let start = out.bytes.count
        out.string(key)
        out.bytes.append(UInt8(ascii: ":"))
        return start
    }

    fileprivate func endMember(_ key: String, from start: Int, of frame: Int) {
        frames[frame].members.append(Member(key: key, start: start, end: out.bytes.count))
    }

    fileprivate func beginElement(of frame: Int) {
        if frames[frame].elements > 0 { out.bytes.append(UInt8(ascii: ",")) }
        frames[frame].elements += 1
    }
}

private struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: CompactJSONWriter
    let frame: Int
    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key, _ write: () throws -> Void) rethrows {
        let start = writer.beginMember(key.stringValue, of: frame)
        try write()
        writer.endMember(key.stringValue, from: start, of: frame)
    }

    mutating func encodeNil(forKey key: Key) throws { member(key) { writer.out.null() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { member(key) { writer.out.bool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key) { writer.out.string(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { member(key) { writer.double(value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { member(key) { writer.out.integer(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { member(key) { writer.out.integer(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { member(key) { writer.out.integer(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key) { try writer.value(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        writer.refuse("a nested container")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.refuse("a nested container")
    }

    mutating func superEncoder() -> any Encoder { writer.refuse("a super-encoder") { $0 } }
    mutating func superEncoder(forKey key: Key) -> any Encoder { writer.refuse("a super-encoder") { $0 } }
}

private struct ArrayContainer: UnkeyedEncodingContainer {
    let writer: CompactJSONWriter
    let frame: Int
    private(set) var count = 0
    var codingPath: [any CodingKey] { [] }

    init(writer: CompactJSONWriter, frame: Int) {
        self.writer = writer
        self.frame = frame
    }

    /// Starts the next element and hands back the writer to write it with.
    private mutating func element() -> CompactJSONWriter {
        writer.beginElement(of: frame)
        count += 1
        return writer
    }

    mutating func encodeNil() throws { element().out.null() }
    mutating func encode(_ value: Bool) throws { element().out.bool(value) }
    mutating func encode(_ value: String) throws { element().out.string(value) }
    mutating func encode(_ value: Double) throws { element().double(value) }
    mutating func encode(_ value: Int) throws { element().out.integer(value) }
    mutating func encode(_ value: Int64) throws { element().out.integer(value) }
    mutating func encode(_ value: Int32) throws { element().out.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try element().value(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        writer.refuse("a nested container")
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { writer.refuse("a nested container") }
    mutating func superEncoder() -> any Encoder { writer.refuse("a super-encoder") { $0 } }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let writer: CompactJSONWriter
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { writer.out.null() }
    mutating func encode(_ value: Bool) throws { writer.out.bool(value) }
    mutating func encode(_ value: String) throws { writer.out.string(value) }
    mutating func encode(_ value: Double) throws { writer.double(value) }
    mutating func encode(_ value: Int) throws { writer.out.integer(value) }
    mutating func encode(_ value: Int64) throws { writer.out.integer(value) }
    mutating func encode(_ value: Int32) throws { writer.out.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.value(value) }
}
