public import CouloirAudit
import Foundation

/// The Ed25519 key that signs the audit log's tree heads, in a file of its own: 64
/// hexadecimal digits (the 32-byte private key) and a line feed, readable by its owner
/// only. Keep it apart from the database and back it up apart: whoever holds both can
/// rewrite history and sign it.
public enum AuditKeyFile {
    /// The key in `path`, made and written there first if the file does not exist.
    public static func loadOrCreate(at path: String) throws -> AuditSigningKey {
        if FileManager.default.fileExists(atPath: path) { return try load(from: path) }
        let key = AuditSigningKey()
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((key.rawRepresentation.hex + "\n").utf8),
            attributes: [.posixPermissions: 0o600])
        guard created else { throw AuditKeyError("cannot write a new audit signing key to \(path)") }
        return key
    }

    public static func load(from path: String) throws -> AuditSigningKey {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw AuditKeyError("cannot read the audit signing key in \(path)")
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(hex: text), raw.count == 32 else {
            throw AuditKeyError("\(path) does not hold an audit signing key (64 hexadecimal digits)")
        }
        return try AuditSigningKey(rawRepresentation: raw)
    }
}

public struct AuditKeyError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
