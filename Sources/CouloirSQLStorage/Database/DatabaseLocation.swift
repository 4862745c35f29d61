import CouloirStorage

/// Where Couloir keeps its records: an SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads a `--database` value: a `postgres://` or `postgresql://` URL, an
    /// `sqlite://` URL, or else a file path.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite://") {
            self = .sqlite(path: String(text.dropFirst("sqlite://".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { true } else { false }
    }

    /// Says where without showing a password.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "SQLite file \(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return "PostgreSQL" }
            return "PostgreSQL at " + url[scheme.upperBound..<url.endIndex].suffix(from: url.index(after: at))
        }
    }
}
