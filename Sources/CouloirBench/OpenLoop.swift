import NIOCore
import NIOHTTP1
import NIOPosix

/// Requests sent on a fixed schedule whatever the answers do, each latency running from
/// its scheduled departure to its answer's last byte.
///
/// The latency bench's client shares the machine's two cores with the server it
/// measures. Through AsyncHTTPClient, a task and a timer a request, it used as much CPU
/// as the server (about 0.8 ms a request, measured with `perf`). This one runs on one
/// event loop thread: each request, prepared beforehand, is written to a kept-alive
/// connection that no other request is using, and only the answer's status is looked at.
final class OpenLoop: Sendable {
    let host: String
    let port: Int
    let interval: Duration
    /// Connections open at once, as AsyncHTTPClient's pool of the bench allows; a request
    /// with none free waits for one, its wait counted in its latency.
    let connections: Int
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    /// The connections left open by the previous run, so that a warm-up run opens them
    /// for the next.
    private let idle: NIOLoopBoundBox<[Answers]?>

    init(host: String, port: Int, interval: Duration, connections: Int = 64) {
        self.host = host
        self.port = port
        self.interval = interval
        self.connections = connections
        idle = .makeEmptyBox(valueType: [Answers].self, eventLoop: group.next())
    }

    /// A request, prepared.
    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer?
    }

    /// The latency of each of `requests`, in the order they left.
    func run(_ requests: [Request]) async throws -> [Duration] {
        let loop = group.next()
        let promise = loop.makePromise(of: [Duration].self)
        loop.execute { [self] in
            Sender(plan: self, requests: requests, idle: idle, promise: promise).start()
        }
        return try await promise.futureResult.get()
    }

    /// Closes the connections and stops the thread.
    func close() async throws {
        try await group.next().submit { [idle] in
            for connection in idle.value ?? [] { connection.close() }
            idle.value = nil
        }.get()
        try await group.shutdownGracefully()
    }

    /// `GET path`.
    func get(_ path: String) -> Request {
        Request(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: ["host": "\(host):\(port)"]))
    }

    /// `POST path` of a JSON `body` with the bearer `token`.
    func post(_ path: String, json body: String, token: String) -> Request {
        let headers: HTTPHeaders = [
            "host": "\(host):\(port)", "content-type": "application/json", "authorization": "Bearer \(token)",
            "content-length": "\(body.utf8.count)",
        ]
        return Request(
            head: HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers),
            body: ByteBuffer(string: body))
    }
}

/// The schedule's state, used on its event loop only.
private final class Sender {
    private let plan: OpenLoop
    private let requests: [OpenLoop.Request]
    private let loop: NIOIsolatedEventLoop
    private let promise: EventLoopPromise<[Duration]>
    /// Where the idle connections wait between runs.
    private let kept: NIOLoopBoundBox<[Answers]?>
    private var origin = NIODeadline.now()
    private var latencies: [Duration]
    private var answered = 0
    private var idle: [Answers] = []
    private var open = 0
    /// Requests due with no connection free, oldest first.
    private var waiting: [Int] = []
    private var nextWaiting = 0
    private var finished = false
    private var deadline: Scheduled<Void>?

    init(
        plan: OpenLoop, requests: [OpenLoop.Request], idle: NIOLoopBoundBox<[Answers]?>,
        promise: EventLoopPromise<[Duration]>
    ) {
        self.plan = plan
        self.requests = requests
        self.loop = promise.futureResult.eventLoop.assumeIsolated()
        self.promise = promise
        self.latencies = Array(repeating: .zero, count: requests.count)
        kept = idle
        self.idle = idle.value ?? []
        open = self.idle.count
        idle.value = nil
    }

    func start() {
        guard !requests.isEmpty else { return finish(.success([])) }
        origin = .now() + .milliseconds(10)
        depart(0)
        // A server that stops answering fails the run rather than hanging it.
        let last = departure(of: requests.count - 1) + .seconds(30)
        deadline = loop.scheduleTask(deadline: last) { [self] in
            finish(.failure(BenchError("\(requests.count - answered) requests unanswered 30 s after the last left")))
        }
    }

    private func departure(of index: Int) -> NIODeadline {
        origin + TimeAmount(plan.interval) * Int64(index)
    }

    /// Schedules request `index`, each departure counted from the start, not from the
    /// previous one, so a late timer never shifts the schedule.
    private func depart(_ index: Int) {
        guard index < requests.count, !finished else { return }
        loop.scheduleTask(deadline: departure(of: index)) { [self] in
            send(index)
            depart(index + 1)
        }
    }

    private func send(_ index: Int) {
        guard !finished else { return }
        while let connection = idle.popLast() {
            if connection.isOpen { return write(index, on: connection) }
            open -= 1  // closed by the server while idle
        }
        if open < plan.connections {
            open += 1
            connect(for: index)
        } else {
            waiting.append(index)
        }
    }

    private func connect(for index: Int) {
        let bootstrap = ClientBootstrap(group: loop.nonisolated())
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Answers())
                }
            }
        bootstrap.connect(host: plan.host, port: plan.port).assumeIsolated().whenComplete { [self] result in
            do {
                let answers = try result.get().pipeline.syncOperations.handler(type: Answers.self)
                write(index, on: answers)
            } catch {
                finish(.failure(error))
            }
        }
    }

    private func write(_ index: Int, on connection: Answers) {
        let departure = departure(of: index)
        connection.send(requests[index]) { [self] outcome in
            switch outcome {
            case .success(let status) where (200..<300).contains(status.code):
                latencies[index] = Duration(NIODeadline.now() - departure)
                answered += 1
                if nextWaiting < waiting.count {
                    nextWaiting += 1
                    write(waiting[nextWaiting - 1], on: connection)
                } else {
                    idle.append(connection)
                }
                if answered == requests.count { finish(.success(latencies)) }
            case .success(let status):
                finish(.failure(BenchError("request \(index) answered \(status.code)")))
            case .failure(let error):
                finish(.failure(error))
            }
        }
    }

    private func finish(_ result: Result<[Duration], any Error>) {
        guard !finished else { return }
        finished = true
        deadline?.cancel()
        // Connections still busy are left to close with the thread.
        kept.value = idle
        promise.completeWith(result)
    }
}

/// One connection's answers: the status of each, told when its last byte is read.
private final class Answers: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private var context: ChannelHandlerContext?
    private var status: HTTPResponseStatus?
    private var answered: ((Result<HTTPResponseStatus, any Error>) -> Void)?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func send(_ request: OpenLoop.Request, answered: @escaping (Result<HTTPResponseStatus, any Error>) -> Void) {
        guard let context else { return answered(.failure(BenchError("connection closed"))) }
        self.answered = answered
        context.write(NIOAny(HTTPClientRequestPart.head(request.head)), promise: nil)
        if let body = request.body {
            context.write(NIOAny(HTTPClientRequestPart.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(NIOAny(HTTPClientRequestPart.end(nil)), promise: nil)
    }

    var isOpen: Bool { context != nil }

    func close() { context?.close(promise: nil) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status
        case .body: break
        case .end:
            let (answered, status) = (answered, status)
            (self.answered, self.status) = (nil, nil)
            if let status { answered?(.success(status)) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        let answered = answered
        self.answered = nil
        answered?(.failure(BenchError("the server closed a connection")))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let answered = answered
        self.answered = nil
        answered?(.failure(error))
        context.close(promise: nil)
    }
}
