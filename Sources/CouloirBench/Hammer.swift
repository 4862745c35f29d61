import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// One request sent again and again at a steady rate, whatever the answers, while a
/// measurement runs.
struct Hammer {
    let request: HTTPClientRequest
    /// Requests per second.
    let rate: Int

    struct Answers {
        var total = 0
        var byStatus: [UInt: Int] = [:]

        func share(_ status: UInt) -> Double {
            total == 0 ? 0 : Double(byStatus[status, default: 0]) / Double(total)
        }
    }

    /// What the sends share.
    private final class State: Sendable {
        let answers = Mutex(Answers())
        let running = Mutex(true)
        var isRunning: Bool { running.withLock { $0 } }
    }

    func during<R: Sendable>(_ measure: () async throws -> R) async throws -> (R, Answers) {
        let state = State()
        // A client of its own, so that the hammer never waits for the measurement's
        // connections, nor they for its.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .bench)
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
                        state.answers.withLock {
                            $0.total += 1
                            $0.byStatus[response.status.code, default: 0] += 1
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
        return (result, state.answers.withLock { $0 })
    }
}

/// A wrong password for the demo's administrator.
enum SignIn {
    static func guess(_ server: ServerProcess) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "\(server.baseURL)/session")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"login":"admin@ocha","password":"not the password"}"#))
        return request
    }
}
