import CouloirCore
import CouloirDemo
import CouloirDemoSetup
import CouloirDomain
import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird
import Logging
import Synchronization
import Testing

@testable import CouloirWeb

/// The live dashboard's changes: the feed that follows the audit log, what each user
/// may see of it, and one client's stream, resumed after its last event and let go
/// when the client goes away.
@Suite("Live changes")
struct LiveChangesTests {
    static let demo = DemoScenario.aleppo2016()
    static let operation = demo.operations[0].id
    static let quick = ChangeFeed.Settings(poll: .milliseconds(10), heartbeat: .milliseconds(150), backlog: 64)

    static func tally(at checkpoint: Checkpoint.ID, people: Int = 3) -> Tally {
        let start = UTCText.date("2016-11-01T00:00:00Z")!.addingTimeInterval(Double.random(in: 0..<1000) * 900)
        return Tally(
            operationID: operation, checkpointID: checkpoint,
            interval: Interval(start: start, end: start.addingTimeInterval(900)), direction: .outbound,
            counts: [GroupCount(group: .civilians, people: people)], source: Source(name: "SARC team 1", kind: .monitor)
        )
    }

    static func checkpoint(_ code: String) throws -> Checkpoint.ID {
        try #require(demo.corridors.first { $0.operationID == operation && $0.code == code }?.checkpoints.first).id
    }

    /// The demo's SARC monitor, counting at C1's checkpoint.
    static func monitor(_ store: SQLRepository) async throws -> Principal {
        let field = try await store.findOrAddOrganisation(named: DemoLoader.fieldTeam).organisation
        return Principal(
            actor: .user(User.ID()), organisationID: field.id, role: .monitor,
            assignment: Assignment(checkpointIDs: [try checkpoint("C1")]))
    }

    static func principal(_ role: Role, of organisation: String, _ store: SQLRepository) async throws -> Principal {
        let organisation = try await store.findOrAddOrganisation(named: organisation).organisation
        return Principal(actor: .user(User.ID()), organisationID: organisation.id, role: role)
    }

    /// Runs `body` with a feed following the store's log, stopped afterwards.
    static func withFeed(_ store: SQLRepository, _ body: @Sendable (ChangeFeed) async throws -> Void) async throws {
        let feed = ChangeFeed(store: store, settings: quick, logger: Logger(label: "couloir.tests"))
        let running = Task { try await feed.run() }
        defer { running.cancel() }
        try await body(feed)
    }

    /// Whether `condition` holds within three seconds.
    static func eventually(_ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// The changes a subscription delivers until one names `id`.
    static func changes(in deliveries: AsyncStream<ChangeFeed.Delivery>, until id: Tally.ID) async -> [Change] {
        var received: [Change] = []
        for await delivery in deliveries {
            if case .changes(let changes) = delivery { received += changes }
            if received.contains(where: { $0.id == id.description }) { break }
        }
        return received
    }

    @Test func theFeedHandsEachCommittedChangeOnceToEverySubscriberAndLetsGoOfThoseWhoLeave() async throws {
        try await withDemoServer { _, store in
            try await Self.withFeed(store) { feed in
                let staying = try await feed.subscribe()
                let leaving = try await feed.subscribe()
                #expect(staying.from == leaving.from)
                #expect(staying.from == (try await store.auditSize()), "from the end of the log")
                #expect(await feed.subscriberCount == 2)
                let tally = Self.tally(at: try Self.checkpoint("C1"))
                _ = try await store.submit(tally)

                async let heardByOne = Self.changes(in: staying.deliveries, until: tally.id)
                async let heardByOther = Self.changes(in: leaving.deliveries, until: tally.id)
                let (one, other) = await (heardByOne, heardByOther)
                #expect(one == other)
                let change = try #require(one.first { $0.id == tally.id.description })
                #expect(one.filter { $0.id == tally.id.description }.count == 1)
                #expect(change.kind == "tally" && change.action == "create" && change.index == staying.from)
                #expect(change.checkpointID == tally.checkpointID && change.operationID == Self.operation)

                // Nothing happens: a beat.
                let beat = await {
                    for await delivery in staying.deliveries where delivery == .heartbeat { return true }
                    return false
                }()
                #expect(beat)
                // A reader that goes away is let go.
                let reader = Task { for await _ in leaving.deliveries {} }
                reader.cancel()
                #expect(try await Self.eventually { await feed.subscriberCount == 1 })
            }
        }
    }

    @Test func eachSeesTheChangesItMayAndAStrangerNone() async throws {
        try await withDemoServer { _, store in
            let core = Core(store: store, now: { Date() })
            let monitor = try await Self.monitor(store)
            let coordinator = try await Self.principal(.coordinator, of: DemoLoader.coordination, store)
            let from = try await core.changePosition()
            let atC1 = Self.tally(at: try Self.checkpoint("C1"))
            let atC2 = Self.tally(at: try Self.checkpoint("C2"))
            _ = try await store.submit(atC1)
            _ = try await store.submit(atC2)
            let changes = try await core.changes(from: from, limit: 100)
            #expect(changes.map(\.id) == [atC1.id.description, atC2.id.description])

            var watch = try await core.watchChanges(in: Self.operation, as: monitor)
            #expect(try await core.visible(changes, to: &watch).map(\.id) == [atC1.id.description])
            watch = try await core.watchChanges(in: Self.operation, as: coordinator)
            #expect(try await core.visible(changes, to: &watch).count == 2)
            // Homs's coordinator: Aleppo does not exist.
            let stranger = try await Self.principal(.coordinator, of: DemoLoader.secondCell, store)
            await #expect(throws: CoreError.self) { try await core.watchChanges(in: Self.operation, as: stranger) }
        }
    }

    /// What a client was sent, and whether it is still there.
    final class Client: Sendable {
        let received = Mutex<String>("")
        let gone = Atomic<Bool>(false)
        var text: String { received.withLock { $0 } }
    }

    struct ClientGone: Error {}

    struct ClientWriter: ResponseBodyWriter {
        let client: Client

        mutating func write(_ buffer: ByteBuffer) async throws {
            if client.gone.load(ordering: .acquiring) { throw ClientGone() }
            client.received.withLock { $0 += String(buffer: buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    @Test func aStreamResumesAfterTheLastEventItSentAndEndsWhenItsClientGoesAway() async throws {
        try await withDemoServer { _, store in
            let core = Core(store: store, now: { Date() })
            let monitor = try await Self.monitor(store)
            try await Self.withFeed(store) { feed in
                let from = try await core.changePosition()
                let (first, elsewhere, missed) = (
                    Self.tally(at: try Self.checkpoint("C1")), Self.tally(at: try Self.checkpoint("C2")),
                    Self.tally(at: try Self.checkpoint("C1"))
                )
                for tally in [first, elsewhere, missed] { _ = try await store.submit(tally) }
                // The client had the first tally's event when its connection dropped.
                let client = Client()
                let watch = try await core.watchChanges(in: Self.operation, as: monitor)
                let streaming = Task {
                    var writer: any ResponseBodyWriter = ClientWriter(client: client)
                    var stream = ChangeStream(core: core, watch: watch)
                    try await stream.run(feed: feed, after: from, to: &writer)
                }
                #expect(try await Self.eventually { client.text.contains(missed.id.description) })
                let live = Self.tally(at: try Self.checkpoint("C1"))
                _ = try await store.submit(live)
                #expect(try await Self.eventually { client.text.contains(live.id.description) })

                let events = client.text.matches(of: /id: (\d+)\nevent: change\ndata: ([^\n]+)\n\n/)
                #expect(client.text.hasPrefix("retry: 2000\n\n"))
                #expect(
                    events.map {
                        String($0.2).contains(missed.id.description) || String($0.2).contains(live.id.description)
                    }
                        == [true, true],
                    "the missed tally, then the new one; not the first again, nothing of C2: \(client.text)")
                #expect(events.map { Int64($0.1)! } == [from + 2, from + 3])

                // The client goes away: its next beat fails, and the feed lets it go.
                client.gone.store(true, ordering: .releasing)
                await #expect(throws: ClientGone.self) { try await streaming.value }
                #expect(try await Self.eventually { await feed.subscriberCount == 0 })
            }
        }
    }

    @Test func aStreamEndsWhenItsUsersAccountChangesAndSaysItIsPastTheChange() async throws {
        try await withDemoServer { _, store in
            let core = Core(store: store, now: { Date() })
            let field = try await store.findOrAddOrganisation(named: DemoLoader.fieldTeam).organisation
            let user = User(
                organisationID: field.id, login: "live.\(UUID().uuidString.prefix(8).lowercased())", role: .monitor,
                assignment: Assignment(checkpointIDs: [try Self.checkpoint("C1")]))
            try await store.insert(user, passwordHash: "not a hash: nobody signs in")
            try await Self.withFeed(store) { feed in
                let from = try await core.changePosition()
                let client = Client()
                let watch = try await core.watchChanges(in: Self.operation, as: Principal(user))
                let streaming = Task {
                    var writer: any ResponseBodyWriter = ClientWriter(client: client)
                    var stream = ChangeStream(core: core, watch: watch)
                    try await stream.run(feed: feed, after: from - 1, to: &writer)
                }
                let counted = Self.tally(at: try Self.checkpoint("C1"))
                _ = try await store.submit(counted)
                #expect(try await Self.eventually { client.text.contains(counted.id.description) })
                _ = try await store.setDisabled(true, user: user.id)
                // The stream ends by itself, past the change: a reconnection does not meet it again.
                try await streaming.value
                #expect(client.text.hasSuffix("id: \(from + 1)\n\n"), "\(client.text)")
                #expect(try await Self.eventually { await feed.subscriberCount == 0 })
            }
        }
    }

    /// A position sent by the client is a hint: one past the log's end (the largest
    /// number, which `last + 1` once overflowed, killing the server) reads as the end.
    @Test(arguments: [Int64.max, Int64.max - 1, 1 << 40])
    func aPositionPastTheLogsEndStartsTheStreamAtTheEnd(after: Int64) async throws {
        try await withDemoServer { _, store in
            let core = Core(store: store, now: { Date() })
            let monitor = try await Self.monitor(store)
            try await Self.withFeed(store) { feed in
                let client = Client()
                let watch = try await core.watchChanges(in: Self.operation, as: monitor)
                let streaming = Task {
                    var writer: any ResponseBodyWriter = ClientWriter(client: client)
                    var stream = ChangeStream(core: core, watch: watch)
                    try await stream.run(feed: feed, after: after, to: &writer)
                }
                defer { streaming.cancel() }
                #expect(try await Self.eventually { await feed.subscriberCount == 1 })
                let live = Self.tally(at: try Self.checkpoint("C1"))
                _ = try await store.submit(live)
                #expect(try await Self.eventually { client.text.contains(live.id.description) })
                client.gone.store(true, ordering: .releasing)
            }
        }
    }

    /// A stream asks, at each beat, whether its session still stands: signed out, it ends.
    @Test func aStreamEndsOnceItsSessionIsSignedOut() async throws {
        try await withDemoServer { _, store in
            let core = Core(store: store, now: { Date() })
            let monitor = try await Self.monitor(store)
            try await Self.withFeed(store) { feed in
                let client = Client()
                let session = Atomic<Bool>(true)
                let watch = try await core.watchChanges(in: Self.operation, as: monitor)
                let streaming = Task {
                    var writer: any ResponseBodyWriter = ClientWriter(client: client)
                    var stream = ChangeStream(core: core, watch: watch) { session.load(ordering: .acquiring) }
                    try await stream.run(feed: feed, after: nil, to: &writer)
                }
                #expect(try await Self.eventually { await feed.subscriberCount == 1 })
                session.store(false, ordering: .releasing)
                try await streaming.value
                #expect(try await Self.eventually { await feed.subscriberCount == 0 })
            }
        }
    }
}
