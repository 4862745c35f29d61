/// The versions of a record an edit was made from (in HTTP, the ETags of `If-Match`).
/// Only a version the record still has lets the edit through: there is no "any
/// version", so an edit always says what it saw.
public struct ExpectedVersions: Hashable, Sendable {
    public var versions: Set<Int>

    public init(_ versions: Set<Int>) {
        self.versions = versions
    }

    /// Throws unless the record, now at `current`, is still at a version the edit was
    /// made from.
    func check(_ current: Int, kind: String) throws(CoreError) {
        guard versions.contains(current) else { throw .stale(kind: kind, current: current) }
    }
}

extension Optional where Wrapped == ExpectedVersions {
    /// The versions an edit was made from; an edit that does not say is refused.
    func required() throws(CoreError) -> ExpectedVersions {
        guard let self else { throw .versionRequired }
        return self
    }
}
