/// A record with the version it has in storage. The version rises by one at each
/// change; an update names the version it was made from, so that of two clients
/// editing from the same version only the first succeeds.
public struct Versioned<Record: Sendable>: Sendable {
    public var record: Record
    public var version: Int

    public init(_ record: Record, version: Int) {
        self.record = record
        self.version = version
    }
}

extension Versioned: Equatable where Record: Equatable {}
extension Versioned: Hashable where Record: Hashable {}

/// One page of a list in a stable order, and where the next page starts.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Opaque; absent on the last page.
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}
extension Page: Equatable where Item: Equatable {}
