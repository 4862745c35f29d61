import CouloirDomain

/// A path under one operation, `/api/v1/operations/{id}…`, as the middlewares that take
/// requests past the generated server read it: only when the id is a UUID written
/// plainly (no percent-encoding), so that whatever else the path holds goes on to the
/// generated server and is answered as before.
struct OperationPath {
    static let prefix = "/api/v1/operations/"

    /// The operation's id, as written.
    let operationID: String
    /// What follows the id: `""` for the operation itself, `"/corridors"`, ….
    let rest: Substring

    init?(_ path: String) {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let afterPrefix = path.utf8.dropFirst(Self.prefix.utf8.count)
        guard afterPrefix.count >= 36 else { return nil }
        let idEnd = afterPrefix.index(afterPrefix.startIndex, offsetBy: 36)
        guard let id = String(afterPrefix[..<idEnd]), Identifier<EvacuationOperation>(id) != nil else { return nil }
        operationID = id
        rest = Substring(path.utf8[idEnd...])
    }
}
