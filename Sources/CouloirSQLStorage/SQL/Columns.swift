import CouloirDomain
import CouloirStorage
import Foundation
import SQLKit

/// How domain values are written to and read from columns.
enum Columns {
    /// Instants are stored as whole milliseconds since 1970.
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }

    /// `date` as it reads back from storage.
    static func stored(_ date: Date) -> Date {
        Self.date(millis(date))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, json: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        do {
            return try decoder.decode(type, from: Data(json.utf8))
        } catch {
            throw StorageError.corrupt("\(T.self): \(error)")
        }
    }
}

extension SQLRow {
    func string(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decode(column: column, as: String?.self)
    }

    func int(_ column: String) throws -> Int {
        try decode(column: column, as: Int.self)
    }

    func optionalInt(_ column: String) throws -> Int? {
        try decode(column: column, as: Int?.self)
    }

    func date(_ column: String) throws -> Date {
        Columns.date(try decode(column: column, as: Int64.self))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decode(column: column, as: Int64?.self).map(Columns.date)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try Columns.decode(type, json: string(column))
    }

    func id<T>(_ column: String) throws -> Identifier<T> {
        let text = try string(column)
        guard let id = Identifier<T>(text) else { throw StorageError.corrupt("\(column) '\(text)' is no UUID") }
        return id
    }

    func optionalID<T>(_ column: String) throws -> Identifier<T>? {
        guard let text = try optionalString(column) else { return nil }
        guard let id = Identifier<T>(text) else { throw StorageError.corrupt("\(column) '\(text)' is no UUID") }
        return id
    }

    func enumeration<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text = try string(column)
        guard let value = T(rawValue: text) else { throw StorageError.corrupt("\(column) '\(text)'") }
        return value
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements: rows for one statement.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
