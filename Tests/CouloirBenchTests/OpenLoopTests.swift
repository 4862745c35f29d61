import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import CouloirBench

/// The latency bench's client: every request answered once, in departure order, each
/// latency counted from its scheduled departure, and a refused request failing the run.
struct OpenLoopTests {
    /// The client ports the server saw, one for each connection.
    private let peers = Peers()

    private final class Peers: Sendable {
        let ports = Mutex<Set<Int>>([])
    }

    private struct PeerContext: RequestContext, RemoteAddressRequestContext {
        var coreContext: CoreRequestContextStorage
        let remoteAddress: SocketAddress?

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            remoteAddress = source.channel.remoteAddress
        }
    }

    /// A server answering `/fast` at once, `/slow/<ms>` after that long, `/echo` with
    /// what it was sent and `/missing` with 404.
    private func withServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router(context: PeerContext.self)
        router.get("/fast") { [peers] _, context in
            if let port = context.remoteAddress?.port { peers.ports.withLock { _ = $0.insert(port) } }
            return "ok"
        }
        router.get("/slow/:ms") { _, context -> String in
            try await Task.sleep(for: .milliseconds(context.parameters.get("ms", as: Int.self) ?? 0))
            return "ok"
        }
        router.post("/echo") { request, _ -> String in
            String(buffer: try await request.body.collect(upTo: 1 << 16))
        }
        try await Application(router: router).test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    @Test func everyRequestIsAnsweredAndTheScheduleKept() async throws {
        try await withServer { port in
            let loop = OpenLoop(host: "127.0.0.1", port: port, interval: .milliseconds(5))
            let started = ContinuousClock.now
            let latencies = try await loop.run(
                (0..<40).map { $0.isMultiple(of: 2) ? loop.get("/fast") : loop.post("/echo", json: "{}", token: "t") })
            let elapsed = ContinuousClock.now - started
            try await loop.close()
            #expect(latencies.count == 40)
            #expect(latencies.allSatisfy { $0 > .zero })
            // The last leaves 39 intervals after the first, whatever the answers did.
            #expect(elapsed >= .milliseconds(39 * 5))
        }
    }

    @Test func aLatencyRunsFromTheScheduledDepartureNotTheSend() async throws {
        try await withServer { port in
            // One connection: the second request cannot leave before the first is answered,
            // and its wait is part of its latency.
            let loop = OpenLoop(host: "127.0.0.1", port: port, interval: .milliseconds(10), connections: 1)
            let latencies = try await loop.run([loop.get("/slow/200"), loop.get("/fast"), loop.get("/fast")])
            try await loop.close()
            #expect(latencies[0] >= .milliseconds(200))
            #expect(latencies[1] >= .milliseconds(190))
            #expect(latencies[2] >= .milliseconds(180))
        }
    }

    @Test func connectionsAreKeptFromOneRunToTheNext() async throws {
        try await withServer { port in
            let loop = OpenLoop(host: "127.0.0.1", port: port, interval: .milliseconds(2), connections: 2)
            for _ in 0..<3 {
                let latencies = try await loop.run(Array(repeating: loop.get("/fast"), count: 20))
                #expect(latencies.count == 20)
            }
            try await loop.close()
            #expect((1...2).contains(peers.ports.withLock(\.count)))
        }
    }

    @Test func anAnswerOutsideTwoHundredsFailsTheRun() async throws {
        try await withServer { port in
            let loop = OpenLoop(host: "127.0.0.1", port: port, interval: .milliseconds(2))
            await #expect(throws: BenchError.self) {
                try await loop.run([loop.get("/fast"), loop.get("/missing"), loop.get("/fast")])
            }
            try await loop.close()
        }
    }

    @Test func aServerThatIsNotThereFailsTheRun() async throws {
        // A port nothing listens on: the connection is refused.
        let loop = OpenLoop(host: "127.0.0.1", port: 1, interval: .milliseconds(2))
        await #expect(throws: (any Error).self) { try await loop.run([loop.get("/fast")]) }
        try await loop.close()
    }
}
