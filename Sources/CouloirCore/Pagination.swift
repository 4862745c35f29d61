import CouloirStorage
public import Foundation

/// A query parameter of the right type but the wrong form: answered 400, naming it.
public struct BadParameter: Error, CustomStringConvertible {
    public var name: String
    public var reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public var description: String { "query parameter '\(name)' \(reason)" }
}

/// Cursor pagination in a stable order. Each list names its order as a key of strings
/// that compare as the order does; a cursor carries the list's name and the key of the
/// last record handed out, so the next page starts strictly after it whatever was
/// added meanwhile. The JSON API and the pages share it, and its signer: a page's
/// cursor is the API's.
public struct Pagination: Sendable {
    public static let defaultLimit = 50
    public static let maximumLimit = 200
    static let maximumCursorLength = 1000

    /// Which list a cursor belongs to: a cursor from another list is refused.
    public let list: String
    public let limit: Int
    public let after: [String]?

    /// Signs the cursors handed out, and checks those sent back.
    let signer: CursorSigner

    public init(list: String, limit: Int?, cursor: String?, signer: CursorSigner) throws {
        self.list = list
        self.signer = signer
        let limit = limit ?? Self.defaultLimit
        guard (1...Self.maximumLimit).contains(limit) else {
            throw BadParameter(name: "limit", reason: "must lie in [1, \(Self.maximumLimit)]")
        }
        self.limit = limit
        guard let cursor else {
            after = nil
            return
        }
        guard cursor.utf8.count <= Self.maximumCursorLength, let payload = signer.verify(cursor),
            let token = try? JSONDecoder().decode(Token.self, from: payload), token.list == list
        else {
            throw StorageError.invalidCursor
        }
        after = token.key
    }

    /// One page of `items`, in the order of `key`, and the cursor of the next page.
    public func page<Item>(of items: [Item], key: (Item) -> [String]) -> (items: [Item], next: String?) {
        let keyed = items.map { (key: key($0), item: $0) }
            .filter { entry in after.map { $0.lexicographicallyPrecedes(entry.key) } ?? true }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        let page = keyed.prefix(limit)
        let next = keyed.count > limit ? page.last.map { cursor(after: $0.key) } : nil
        return (page.map(\.item), next)
    }

    /// For a list that storage pages by sequence number (tallies): the number the page
    /// starts after.
    public func afterSequence() throws -> Int64? {
        guard let key = after else { return nil }
        guard key.count == 1, let sequence = Int64(key[0]) else { throw StorageError.invalidCursor }
        return sequence
    }

    /// The cursor of a page that storage cut, starting after the record whose key is `key`.
    public func cursor(after key: [String]) -> String {
        signer.sign((try? JSONEncoder().encode(Token(list: list, key: key))) ?? Data())
    }

    /// What a cursor carries: the list it belongs to and the last key handed out.
    private struct Token: Codable {
        var list: String
        var key: [String]
    }
}

/// Sort keys that compare as the values do.
public enum SortKey {
    /// Milliseconds since 0000-01-01T00:00Z, zero-padded: string order is time order for
    /// the years 0000 to 9999 that RFC 3339 can write.
    public static func instant(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) + 62_167_219_200_000
        return String(repeating: "0", count: max(0, 16 - String(millis).count)) + String(millis)
    }

    public static func number(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 12 - text.count)) + text
    }
}
