import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// Password guesses sent at a steady rate, whatever the answers, while a measurement
/// runs.
struct SignInHammer {
    let url: String
    /// Sign-ins per second.
    let rate: Int

    struct Attempts {
        var total = 0
        var throttled = 0
        var throttledShare: Double { total == 0 ? 0 : Double(throttled) / Double(total) }
    }

    /// What the guesses share.
    private final class State: Sendable {
        let attempts = Mutex(Attempts())
        let running = Mutex(true)
        var isRunning: Bool { running.withLock { $0 } }
    }

    func during<R: Sendable>(_ measure: () async throws -> R) async throws -> (R, Attempts) {
        let state = State()
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"login":"admin@ocha","password":"not the password"}"#))
        // A client of its own, so that guesses never wait for the measurement's connections.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let sender = Task { [request, client] in
            await withTaskGroup(of: Void.self) { group in
                let clock = ContinuousClock()
                var departure = clock.now
                while state.isRunning {
                    departure = departure.advanced(by: interval)
                    try? await clock.sleep(until: departure)
                    group.addTask {
                        guard let response = try? await client.execute(request, timeout: .seconds(30)) else { return }
                        _ = try? await response.body.collect(upTo: 1 << 16)
                        state.attempts.withLock {
                            $0.total += 1
                            if response.status == .tooManyRequests { $0.throttled += 1 }
                        }
                    }
                }
            }
        }
        let result: R
        do {
            result = try await measure()
        } catch {
            state.running.withLock { $0 = false }
            await sender.value
            try await client.shutdown()
            throw error
        }
        state.running.withLock { $0 = false }
        await sender.value
        try await client.shutdown()
        return (result, state.attempts.withLock { $0 })
    }
}
