import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// How long a client may take, and how many connections it may hold, before the server
/// stops waiting for it: a client that opens connections and sends its headers a byte
/// at a time must not hold the server's connections away from everyone else.
public struct ConnectionLimits: Sendable {
    /// From a connection's opening, or the end of its previous request, to a request's
    /// complete headers.
    public var headerTimeout: Duration
    /// With nothing read or written.
    public var idleTimeout: Duration
    /// From a request's headers to the end of its body: long enough for a batch of
    /// tallies over a slow mobile link, short enough that bodies sent a byte at a time
    /// do not hold connections for ever.
    public var bodyTimeout: Duration
    /// Connections open at once from one client address.
    public var perAddress: Int

    public init(
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(120),
        idleTimeout: Duration = .seconds(60), perAddress: Int = 256
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.perAddress = perAddress
    }
}

/// The connections open from each client address.
final class ConnectionCounter: Sendable {
    private let open = Mutex<[String: Int]>([:])

    /// Counts a connection from `address`, unless `limit` are open already.
    func admit(_ address: String, limit: Int) -> Bool {
        open.withLock { open in
            guard open[address, default: 0] < limit else { return false }
            open[address, default: 0] += 1
            return true
        }
    }

    func release(_ address: String) {
        open.withLock { open in
            open[address, default: 1] -= 1
            if open[address] == 0 { open[address] = nil }
        }
    }
}

/// One per connection: closes it when its address holds too many already, when a
/// request's body does not arrive within `bodyTimeout` of its headers, or when a
/// request's headers do not arrive in time (from the connection's opening, or from the
/// end of the last response: a response that streams, such as a dashboard's events,
/// keeps its connection for as long as it lasts); answers a request that is not
/// well-formed HTTP with a problem document before closing it.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ConnectionLimits
    private let counter: ConnectionCounter
    private var address: String?
    private var deadline: Scheduled<Void>?
    private var bodyDeadline: Scheduled<Void>?

    init(limits: ConnectionLimits, counter: ConnectionCounter) {
        self.limits = limits
        self.counter = counter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? "unknown"
        guard counter.admit(address, limit: limits.perAddress) else {
            context.close(promise: nil)
            return
        }
        self.address = address
        awaitHeaders(on: context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        bodyDeadline?.cancel()
        if let address { counter.release(address) }
        address = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inRequest = true
            unanswered += 1
            deadline?.cancel()
            deadline = nil
            awaitBody(on: context.channel)
        case .end:
            inRequest = false
            bodyDeadline?.cancel()
            bodyDeadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 {
            unanswered -= 1
            // Answered: the next request's headers are awaited from here.
            if unanswered == 0 { awaitHeaders(on: context.channel) }
        }
        context.write(data, promise: promise)
    }

    /// A request whose head is not well-formed HTTP (a NUL in a header, bytes no URL
    /// holds) never reaches the router: it is answered here, then the connection closes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Within a request (a malformed chunk of its body) the router answers it.
        guard let parse = error as? HTTPParserError, !inRequest, !answeredMalformed else {
            context.fireErrorCaught(error)
            return
        }
        answeredMalformed = true
        let body = ByteBuffer(
            string: #"{"detail":"The request is not well-formed HTTP: \#(parse).","status":400,"#
                + #""title":"Bad Request","type":"urn:couloir:problem:bad-request"}"#)
        let head = HTTPResponse(
            status: .badRequest,
            headerFields: [
                .contentType: "application/problem+json", .contentLength: "\(body.readableBytes)",
                .connection: "close", .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    private var answeredMalformed = false
    /// Between a request's head and its end.
    private var inRequest = false
    /// Requests whose head arrived and whose response has not ended.
    private var unanswered = 0

    private func awaitHeaders(on channel: any Channel) {
        deadline?.cancel()
        deadline = channel.eventLoop.scheduleTask(in: Self.timeAmount(limits.headerTimeout)) {
            channel.close(promise: nil)
        }
    }

    private func awaitBody(on channel: any Channel) {
        bodyDeadline?.cancel()
        bodyDeadline = channel.eventLoop.scheduleTask(in: Self.timeAmount(limits.bodyTimeout)) {
            channel.close(promise: nil)
        }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
