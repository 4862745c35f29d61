import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

/// `GET /operations/:operation/dashboard/changes`: the operation's changes as
/// Server-Sent Events, for the dashboard to update itself in place. Each event is one
/// change the user may see (a tally where they may read figures, a record they may
/// read), named by its index in the audit log; a client that reconnects with
/// `Last-Event-ID` (or opens with `?after=`, the page's own position) is first sent
/// what it missed, read from the log, and nothing twice. Heartbeats keep the stream
/// open through proxies; a stream ends after a few minutes so that reconnecting checks
/// the session again, and at once when the user's own account changes.
extension WebFace {
    func addDashboardStream<Context: RequestContext & WebRequestContext>(to router: Router<Context>) {
        router.get("/operations/:operation/dashboard/changes") { request, context -> Response in
            // An event stream cannot follow a redirect to a page: it is refused, and the
            // page says the session ended.
            guard let cookie = request.cookies[SessionCookie.name]?.value,
                let (_, user) = try await sessions.session(forToken: cookie)
            else { return Response(status: .unauthorized, headers: [.cacheControl: "no-store"]) }
            let watch: ChangeWatch
            do {
                let id = EvacuationOperation.ID(context.parameters.get("operation") ?? "")
                guard let id else { throw CoreError.hidden(kind: "operation", id: "") }
                watch = try await core.watchChanges(in: id, as: Principal(user))
            } catch CoreError.hidden {
                return Response(status: .notFound, headers: [.cacheControl: "no-store"])
            }
            let after = Self.lastSeen(request)
            var headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { [core, feed, sessions] writer in
                    var stream = ChangeStream(core: core, watch: watch) {
                        // Signed out (here or on another server), or the session ended.
                        try await sessions.session(forToken: cookie) != nil
                    }
                    try await stream.run(feed: feed, after: after, to: &writer)
                    try await writer.finish(nil)
                })
        }
    }

    /// The index of the last change the client has: its `Last-Event-ID` when it
    /// reconnects, else the page's `after`; nil for neither or a value that is no index.
    static func lastSeen(_ request: Request) -> Int64? {
        let text =
            request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["after"].map(String.init)
        return text.flatMap { Int64($0) }.flatMap { $0 >= -1 ? $0 : nil }
    }
}

/// One client's stream: what it missed, then each change as the feed delivers it.
struct ChangeStream<Store: Repository> {
    /// How long one stream lasts before the client is asked to reconnect.
    static var lifetime: Duration { .seconds(300) }
    /// The most entries a reconnecting client is caught up on from the log; past that it
    /// is told to reload its figures instead.
    /// One page of the log, so that many streams reconnecting at once cost every other
    /// request little.
    static var catchUpLimit: Int64 { 1_000 }

    /// How often, at most, the stream asks whether its session still stands.
    static var sessionCheck: Duration { .seconds(1) }

    let core: Core<Store>
    var watch: ChangeWatch
    /// Whether the session the stream was opened in still stands: a sign-out ends the
    /// stream at its next delivery or beat.
    let signedIn: @Sendable () async throws -> Bool
    /// The index of the last entry the client has been brought past.
    private var last: Int64 = -1
    private var sessionCheckedAt = ContinuousClock.now

    init(core: Core<Store>, watch: ChangeWatch, signedIn: @escaping @Sendable () async throws -> Bool = { true }) {
        self.core = core
        self.watch = watch
        self.signedIn = signedIn
    }

    mutating func run(feed: ChangeFeed, after: Int64?, to writer: inout any ResponseBodyWriter) async throws {
        let subscription = try await feed.subscribe()
        let started = ContinuousClock.now
        try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
        // A client's position is only a hint: one past the log's end (or a number made
        // up to overflow `last + 1`) is taken as the end, what the client would have had.
        last = min(after ?? Int64.max, subscription.from - 1)
        do {
            guard try await catchUp(to: subscription.from, writer: &writer) else { return }
            for await delivery in subscription.deliveries.cancelOnGracefulShutdown() {
                if delivery == .heartbeat || ContinuousClock.now - sessionCheckedAt >= Self.sessionCheck {
                    sessionCheckedAt = .now
                    guard try await signedIn() else { return }
                }
                switch delivery {
                case .heartbeat:
                    // A comment, and the position: reconnecting then skips what was not the client's.
                    let beat = last >= 0 ? ": heartbeat\nid: \(last)\n\n" : ": heartbeat\n\n"
                    try await writer.write(ByteBuffer(string: beat))
                case .changes(let changes):
                    guard try await deliver(changes, to: &writer) else { return }
                }
                if ContinuousClock.now - started > Self.lifetime { return }
            }
        } catch CoreError.hidden {
            // The user no longer reaches the operation: the stream ends, and so will a reconnection.
            return
        }
    }

    /// Sends what the client missed before the feed's first delivery, from the log; false
    /// when the stream must end.
    private mutating func catchUp(to end: Int64, writer: inout any ResponseBodyWriter) async throws -> Bool {
        if end - last > Self.catchUpLimit + 1 {
            last = end - 1
            try await writer.write(ByteBuffer(string: "id: \(last)\nevent: reset\ndata: {}\n\n"))
            return true
        }
        while last + 1 < end {
            let changes = try await core.changes(from: last + 1, limit: 1_000).filter { $0.index < end }
            guard !changes.isEmpty else { return true }
            guard try await deliver(changes, to: &writer) else { return false }
        }
        return true
    }

    /// Sends the changes of `changes` the client has not had and may see; false when the
    /// stream must end.
    private mutating func deliver(_ changes: [Change], to writer: inout any ResponseBodyWriter) async throws -> Bool {
        var fresh = changes.filter { $0.index > last }
        // A change to the user's own account ends the stream there: the client is told
        // it is past it, and what follows is read again under the account as it now is.
        let ending = fresh.firstIndex { watch.concerns($0) }
        if let ending { fresh = Array(fresh[...ending]) }
        guard let newest = fresh.last else { return true }
        let visible = try await core.visible(fresh, to: &watch)
        var text = try visible.map(Self.event).joined()
        last = newest.index
        if ending != nil { text += "id: \(last)\n\n" }
        if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
        return ending == nil
    }

    /// One change as an event: its index as the id, what changed as JSON.
    static func event(_ change: Change) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(
            ChangeEventData(
                kind: change.kind, action: change.action, id: change.id, at: change.at,
                checkpoint: change.checkpointID?.description))
        return "id: \(change.index)\nevent: change\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }
}

/// What an event says of its change.
private struct ChangeEventData: Encodable {
    var kind: String
    var action: String
    var id: String
    var at: String
    var checkpoint: String?
}
