import CouloirDomain
public import Foundation

/// One change to one record, as the audit log writes it. Its `text` is what the log
/// hashes into a leaf, so it is written one way only: the keys in the order below, no
/// spaces, `null` for what is absent, and in strings only `"`, `\` and the control
/// characters escaped (`\"`, `\\`, `\u00XX` in lowercase hexadecimal); every other
/// character is written as itself in UTF-8.
///
///     {"index":0,"at":"2016-10-20T05:00:00.000Z","actor":"user:…","action":"update",
///      "kind":"corridor","id":"…","operation":"…","before":"<sha-256>","after":"<sha-256>"}
public struct AuditEntry: Hashable, Sendable {
    /// The entry's place in the log, from 0: its leaf index.
    public var index: Int64
    /// When the change was committed, UTC, to the millisecond.
    public var at: String
    /// Who made the change: `user:<id>`, `device:<token id>` or `system:<name>`.
    public var actor: String
    /// What was done: `create`, `update`, `override`, `transition`, `verify`, …
    public var action: String
    /// The kind of record: `operation`, `corridor`, `tally`, …
    public var kind: String
    public var id: String
    /// The operation the record belongs to; nil for an operation itself.
    public var operation: String?
    /// SHA-256 (hex) of the record before the change; nil when it was created.
    public var before: String?
    /// SHA-256 (hex) of the record after the change.
    public var after: String?

    public init(
        index: Int64, at: String, actor: String, action: String, kind: String, id: String, operation: String?,
        before: String?, after: String?
    ) {
        self.index = index
        self.at = at
        self.actor = actor
        self.action = action
        self.kind = kind
        self.id = id
        self.operation = operation
        self.before = before
        self.after = after
    }

    /// The entry's one written form.
    public var text: String {
        var text = #"{"index":\#(index),"at":"#
        text += Self.quoted(at)
        for (key, value) in [
            ("actor", actor), ("action", action), ("kind", kind), ("id", id),
        ] {
            text += #","\#(key)":"# + Self.quoted(value)
        }
        for (key, value) in [("operation", operation), ("before", before), ("after", after)] {
            text += #","\#(key)":"# + (value.map(Self.quoted) ?? "null")
        }
        return text + "}"
    }

    /// Reads an entry from its written form; nil unless `text` is exactly how the entry
    /// would be written, so that no two texts stand for one entry.
    public init?(text: String) {
        guard let data = text.data(using: .utf8),
            let fields = try? JSONDecoder().decode(Fields.self, from: data)
        else { return nil }
        self.init(
            index: fields.index, at: fields.at, actor: fields.actor, action: fields.action, kind: fields.kind,
            id: fields.id, operation: fields.operation, before: fields.before, after: fields.after)
        guard self.text == text else { return nil }
    }

    private struct Fields: Decodable {
        var index: Int64
        var at: String
        var actor: String
        var action: String
        var kind: String
        var id: String
        var operation: String?
        var before: String?
        var after: String?
    }

    private static func quoted(_ value: String) -> String {
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            return "\"" + value + "\""
        }
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}

/// Instants as the audit log writes them.
public enum AuditTime {
    /// `date` in UTC to the millisecond, as `2016-10-20T05:00:00.000Z`.
    public static func text(_ date: Date) -> String {
        UTCText.of(date, fraction: .always)
    }
}
