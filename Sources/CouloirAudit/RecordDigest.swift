import Crypto
import Foundation

/// What the audit log records of a record's state: the SHA-256 of its JSON with sorted
/// keys, as Couloir encodes it.
public enum RecordDigest {
    public static func of(_ record: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Data(SHA256.hash(data: try encoder.encode(record))).hex
    }
}
