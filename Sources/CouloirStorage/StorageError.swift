/// What storage refuses or cannot do, beyond the domain's own rules.
public enum StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The database was written by a newer Couloir; opening it could lose data.
    case databaseFromNewerVersion(found: Int, supported: Int)
    /// The schema is behind: run `couloir migrate`.
    case migrationsPending(current: Int, latest: Int)
    /// No record of this kind with this id in the operation.
    case notFound(kind: String, id: String)
    /// A record with this id, or this unique code, already exists.
    case duplicate(kind: String, key: String)
    /// The record changed since the version the update was made from.
    case versionMismatch(kind: String, id: String, current: Int)
    /// A list cursor that this server did not hand out.
    case invalidCursor
    /// A stored value could not be read back.
    case corrupt(String)
    /// The server is stopping and takes no more writes: send again shortly.
    case stopping
    /// The database's disk is full: nothing of this was stored; send again later.
    case full

    public var description: String {
        switch self {
        case .databaseFromNewerVersion(let found, let supported):
            "this database is at schema version \(found), written by a newer Couloir; this one knows versions up to \(supported). Upgrade Couloir, or open another database."
        case .migrationsPending(let current, let latest):
            "this database is at schema version \(current) of \(latest): run `couloir migrate`"
        case .notFound(let kind, let id):
            "no \(kind) \(id)"
        case .duplicate(let kind, let key):
            "a \(kind) \(key) exists already"
        case .versionMismatch(let kind, let id, let current):
            "\(kind) \(id) has changed: it is at version \(current) now"
        case .invalidCursor:
            "the cursor is not one this server handed out"
        case .corrupt(let what):
            "a stored value could not be read: \(what)"
        case .stopping:
            "the server is stopping and stored nothing of this; send it again shortly"
        case .full:
            "the database's disk is full and stored nothing of this; send it again later"
        }
    }
}
