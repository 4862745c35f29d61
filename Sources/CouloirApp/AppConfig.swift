public import CouloirCore
public import CouloirDomain
public import CouloirSQLStorage
public import Logging

/// Everything the application needs to know about its surroundings, read once.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseLocation
    public var logLevel: Logger.Level
    /// Apply pending migrations before serving (the default); otherwise refuse to serve
    /// a database whose schema is behind.
    public var migrateOnStart: Bool
    /// The file holding the key that signs the audit log's tree heads, made on first
    /// start; nil for the default, beside an SQLite file or `couloir-audit.key` in the
    /// current folder for PostgreSQL.
    public var auditKey: String?
    /// How often the audit log's tree head is signed while serving.
    public var auditSignInterval: Duration
    /// Mark the session cookie `Secure` on every response: set it when the server is
    /// reached over TLS through a proxy that does not send `X-Forwarded-Proto: https`
    /// (with the header, the cookie is marked anyway).
    public var secureCookies: Bool
    public var sessionTimeouts: SessionTimeouts
    public var loginLimits: LoginThrottle.Limits
    public var connectionLimits: ConnectionLimits
    /// How often live dashboards' feed reads the audit log, and how often it beats.
    public var changeFeed: ChangeFeed.Settings
    /// The address phones and browsers reach the server at (`https://couloir.example.org`
    /// behind a proxy), which links handed to phones start with; nil for the address
    /// the server listens on.
    public var publicURL: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        database: DatabaseLocation = .sqlite(path: "couloir.sqlite"),
        logLevel: Logger.Level = .info,
        migrateOnStart: Bool = true,
        auditKey: String? = nil,
        auditSignInterval: Duration = .seconds(60),
        secureCookies: Bool = false,
        sessionTimeouts: SessionTimeouts = .standard,
        loginLimits: LoginThrottle.Limits = LoginThrottle.Limits(),
        connectionLimits: ConnectionLimits = ConnectionLimits(),
        changeFeed: ChangeFeed.Settings = ChangeFeed.Settings(),
        publicURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.logLevel = logLevel
        self.migrateOnStart = migrateOnStart
        self.auditKey = auditKey
        self.auditSignInterval = auditSignInterval
        self.secureCookies = secureCookies
        self.sessionTimeouts = sessionTimeouts
        self.loginLimits = loginLimits
        self.connectionLimits = connectionLimits
        self.changeFeed = changeFeed
        self.publicURL = publicURL
    }

    /// Whether `host` is a wildcard address, which names no server to a phone.
    var listensOnEveryAddress: Bool { ["0.0.0.0", "::", "[::]"].contains(host) }

    /// The address the server listens on as a URL; nil where that says nothing to a phone
    /// (port 0, a wildcard address).
    func listeningURL(port: Int) -> String? {
        guard port != 0, !listensOnEveryAddress else { return nil }
        return "http://" + (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// Where the audit signing key is kept.
    public var auditKeyPath: String {
        if let auditKey { return auditKey }
        if case .sqlite(let path) = database { return path + ".audit-key" }
        return "couloir-audit.key"
    }

    /// The defaults, overridden by `COULOIR_DATABASE`, `COULOIR_HOST`, `COULOIR_PORT`,
    /// `COULOIR_LOG_LEVEL`, `COULOIR_AUDIT_KEY`, `COULOIR_SECURE_COOKIES` and
    /// `COULOIR_PUBLIC_URL` where they are set.
    public init(environment: [String: String]) {
        self.init()
        if let database = environment["COULOIR_DATABASE"], !database.isEmpty {
            self.database = DatabaseLocation(database)
        }
        if let host = environment["COULOIR_HOST"], !host.isEmpty {
            self.host = host
        }
        if let port = environment["COULOIR_PORT"].flatMap(Int.init) {
            self.port = port
        }
        if let auditKey = environment["COULOIR_AUDIT_KEY"], !auditKey.isEmpty {
            self.auditKey = auditKey
        }
        if let level = environment["COULOIR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) {
            self.logLevel = level
        }
        if let publicURL = environment["COULOIR_PUBLIC_URL"], !publicURL.isEmpty {
            self.publicURL = publicURL
        }
        if let secure = environment["COULOIR_SECURE_COOKIES"] {
            secureCookies = ["1", "true", "yes"].contains(secure.lowercased())
        }
    }
}
