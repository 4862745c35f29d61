import CouloirAPI
import CouloirAccess
import CouloirAudit
import CouloirCore
import CouloirDomain
import CouloirOpenRosa
import CouloirSQLStorage
import CouloirStorage
import CouloirWeb
public import Foundation
public import Hummingbird
public import Logging
import Synchronization

/// Everything `couloir serve` runs, wired once; the tests build the same.
public func buildApplication(
    config: AppConfig,
    now: @escaping @Sendable () -> Date = { Date() },
    logger: Logger? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "couloir")
    logger.logLevel = config.logLevel

    // Commits only sync the log; the checkpointer below copies it into the file apart.
    let pool = try DatabasePool(config.database, checkpointsApart: true, logger: logger)
    // Each request writes in its principal's name; this actor signs for nothing else.
    let (store, submissions) = SQLRepository.queued(pool: pool, actor: .system("api"), now: now)
    let migrator = Migrator(pool: pool)
    let auditKey: AuditSigningKey
    do {
        auditKey = try AuditKeyFile.loadOrCreate(at: config.auditKeyPath)
        if config.migrateOnStart {
            try await migrator.migrate(logger: logger)
        }
        try await migrator.checkUpToDate()
    } catch {
        try? await pool.shutdown()
        throw error
    }

    // Before the body is read: an unauthenticated request costs no more than its headers.
    let sessions = SessionAuthenticator(
        sessions: store, identities: store, hasher: PasswordHasher(threadPool: PasswordHasher.signInThreads),
        timeouts: config.sessionTimeouts, throttle: LoginThrottle(limits: config.loginLimits), now: now)
    let tokens = TokenAuthenticator(identities: store, now: now)
    // One signer for both faces: a page's cursor reads in the API, and the reverse.
    let cursors = CursorSigner(derivingFrom: auditKey.rawRepresentation)
    let feed = ChangeFeed(store: store, settings: config.changeFeed, logger: logger)
    let web = try await WebFace(
        core: Core(store: store, now: now), sessions: WebSessionsAdapter(sessions: sessions), cursors: cursors,
        feed: feed,
        settings: WebSettings(
            secureCookies: config.secureCookies, sessionLifetime: Int(config.sessionTimeouts.absolute)),
        deviceTokens: { header in
            // The API's reading of the header, so both faces take the same tokens.
            guard let secret = AuthenticationMiddleware<CouloirRequestContext>.bearerToken(in: header) else {
                return nil
            }
            return try await tokens.principal(forSecret: secret)
        })

    let router = Router(context: CouloirRequestContext.self)
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ProtectiveHeadersMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(
        middleware: HTTPProblemMiddleware<CouloirRequestContext>(
            routes: try API.routes(store: store, now: now), pages: web.errorPage))
    router.add(
        middleware: AuthenticationMiddleware(tokens: tokens, sessions: sessions))
    router.add(middleware: BodyLimitMiddleware())
    HealthRoutes.add(to: router, migrator: migrator)
    SessionRoutes.add(
        to: router, sessions: sessions, timeouts: config.sessionTimeouts, secureCookies: config.secureCookies)
    let document = try API.document()
    router.get("/api/openapi.yaml") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
    }
    try API.register(on: router, store: store, now: now, cursors: cursors)
    web.register(on: router)
    // Until the server listens, the port it was given may be 0: the link is made then.
    let listening = Mutex<String?>(config.publicURL ?? config.listeningURL(port: config.port))
    OpenRosaFace(core: Core(store: store, now: now), publicURL: { listening.withLock { $0 } }) { credentials in
        switch credentials {
        case .token(let secret): try await tokens.principal(forSecret: secret)
        case .basic(let login, let password, let address):
            switch try await sessions.user(login: login, password: password, address: address) {
            case .matched(let user): Principal(user)
            case .refused(.throttled(let wait)): throw OpenRosaThrottled(retryAfter: wait)
            case .refused: nil
            }
        }
    }.register(on: router)

    logger.info("storage.ready", metadata: ["database": "\(config.database)"])
    if config.publicURL == nil, config.listensOnEveryAddress {
        logger.warning(
            "openrosa.no_public_url",
            metadata: ["advice": "listening on \(config.host): set --public-url for the form links phones download"])
    }
    let connections = ConnectionCounter()
    let limits = config.connectionLimits
    let (idleSeconds, _) = limits.idleTimeout.components
    return Application(
        router: HeadAnswering(router: router),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    ConnectionGuard(limits: limits, counter: connections), UpgradeOfferGuard(),
                ],
                idleTimeout: .seconds(idleSeconds))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "couloir"),
        services: [
            // Stopped in reverse: the server drains, the tree head is signed, the
            // queue writes what waits, and only then is the pool closed.
            StorageService(pool: pool),
            // Its streams end with the server's requests, before the queue and the pool stop.
            feed,
            WALCheckpointer(pool: pool, logger: logger),
            // Other servers' plan changes, read from the audit log into this one's cache.
            PlanCacheFollower(store: store, logger: logger),
            submissions,
            TreeHeadSigner(store: store, key: auditKey, interval: config.auditSignInterval, logger: logger),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? config.port
            if config.publicURL == nil { listening.withLock { $0 = config.listeningURL(port: port) } }
            await onServerRunning(port)
        },
        logger: logger)
}
