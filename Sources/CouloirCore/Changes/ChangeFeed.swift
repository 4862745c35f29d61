public import CouloirStorage
public import Logging
public import ServiceLifecycle

/// One reader of the audit log for every live view of a server: it looks for new
/// entries a few times a second while anyone is subscribed, reads each once, and hands
/// them to every subscriber, who keeps what it may see (`Core.visible(_:to:)`). Beats
/// go out when nothing else does, so that a stream stays open through proxies and a
/// client that went away is noticed.
///
/// The log is the feed's only source: a change is announced after it was committed, in
/// the order of the log, from any server writing to the same database; and a subscriber
/// that lost its connection reads what it missed from the log, by index.
public actor ChangeFeed: Service {
    public struct Settings: Sendable {
        /// How often the log is asked whether it grew.
        public var poll: Duration
        /// How long a subscriber may go without hearing anything.
        public var heartbeat: Duration
        /// Deliveries a subscriber may leave unread before it is let go (it then
        /// reconnects and reads what it missed from the log).
        public var backlog: Int

        public init(poll: Duration = .milliseconds(100), heartbeat: Duration = .seconds(15), backlog: Int = 512) {
            self.poll = poll
            self.heartbeat = heartbeat
            self.backlog = backlog
        }
    }

    /// What a subscriber receives.
    public enum Delivery: Sendable, Equatable {
        /// New entries of the log, every operation's, in order.
        case changes([Change])
        /// Nothing happened for a while.
        case heartbeat
    }

    /// A subscriber's deliveries, starting with the entry at `from`: what was appended
    /// before it is for the subscriber to read from the log.
    public struct Subscription: Sendable {
        public let from: Int64
        public let deliveries: AsyncStream<Delivery>
    }

    private let store: any AuditRepository & TallyRepository
    private let settings: Settings
    private let logger: Logger
    /// The index of the next entry to read; nil while nobody is subscribed.
    private var position: Int64?
    private var subscribers: [Int: AsyncStream<Delivery>.Continuation] = [:]
    private var nextSubscriber = 0
    private var quietSince = ContinuousClock.now

    public init(store: some AuditRepository & TallyRepository, settings: Settings = Settings(), logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    /// How many are subscribed now.
    public var subscriberCount: Int { subscribers.count }

    public func subscribe() async throws -> Subscription {
        if position == nil {
            let size = try await store.auditSize()
            // Another subscriber may have set it while the size was read.
            if position == nil { position = size }
        }
        let (deliveries, continuation) = AsyncStream.makeStream(
            of: Delivery.self, bufferingPolicy: .bufferingOldest(settings.backlog))
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        return Subscription(from: position!, deliveries: deliveries)
    }

    private func remove(_ id: Int) {
        subscribers[id] = nil
        if subscribers.isEmpty { position = nil }
    }

    public func run() async throws {
        // Stopping ends the loop, then every subscription.
        try? await cancelWhenGracefulShutdown { try await self.follow() }
        finishAll()
    }

    private func follow() async throws {
        while true {
            try await Task.sleep(for: settings.poll)
            await readNewEntries()
            if ContinuousClock.now - quietSince >= settings.heartbeat { broadcast(.heartbeat) }
        }
    }

    /// Ends every subscription: the server is stopping.
    private func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
        position = nil
    }

    private func readNewEntries() async {
        guard position != nil, !subscribers.isEmpty else { return }
        do {
            let size = try await store.auditSize()
            while let from = position, from < size {
                let changes = try await Change.read(from: from, limit: 1_000, in: store)
                // Nobody subscribed while the page was read: the position was let go.
                guard position == from, let last = changes.last else { return }
                broadcast(.changes(changes))
                // With no suspension between the two: a subscriber that joins later
                // is told to read from here, and misses nothing.
                position = last.index + 1
            }
        } catch is CancellationError {
            // Stopping.
        } catch {
            logger.error("changes.read_failed", metadata: ["error": "\(error)"])
        }
    }

    private func broadcast(_ delivery: Delivery) {
        quietSince = .now
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(delivery) {
                // Too far behind: let it go; it reconnects and reads the log from where it was.
                continuation.finish()
                subscribers[id] = nil
            }
        }
        if subscribers.isEmpty { position = nil }
    }
}
