import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Reads of the plan, each against a constant route of the same size served by
/// Hummingbird on the same machine in the same run: how far a read of Couloir stays from
/// what the framework alone can do. Closed loop: `connections` clients, each sending its
/// next request when the previous is answered, for `seconds`.
struct ReadsBench {
    var seconds: Int
    var connections: Int
    var directory: String

    struct Target {
        let name: String
        let path: String
        /// The goal, as a share of the constant route's requests per second.
        let goal: Double?
    }

    func run(client: HTTPClient, logger: Logger) async throws {
        say("Reads: \(connections) connections for \(seconds) s each, against a constant route of the same size")
        let database = try await BenchDatabase.create(at: directory + "/reads.sqlite", logger: logger)
        let token = try await database.scriptToken()
        try await database.close()
        let server = try ServerProcess(database: database.path)
        defer { server.stop() }
        let constant = try ServerProcess(arguments: ["constant-server", "--port", "0"])
        defer { constant.stop() }
        let operation = "/api/v1/operations/\(database.operationID)"
        let targets = [
            Target(name: "GET /api/v1/operations/{id}", path: operation, goal: 0.50),
            Target(name: "GET …/parties", path: operation + "/parties", goal: nil),
            Target(
                name: "GET …/corridors (with status)", path: operation + "/corridors?at=2016-10-20T10:00:00%2B03:00",
                goal: 0.25),
            Target(name: "GET …/pauses", path: operation + "/pauses", goal: nil),
        ]
        for target in targets {
            let read = request(server.baseURL + target.path, token: token)
            let size = try await body(of: read, client: client)
            let floor = request(constant.baseURL + "/constant/\(size)", token: nil)
            _ = try await load(client: client, request: read, seconds: 1)
            _ = try await load(client: client, request: floor, seconds: 1)
            let measured = try await load(client: client, request: read, seconds: seconds)
            let floorMeasured = try await load(client: client, request: floor, seconds: seconds)
            let ratio = measured.perSecond / floorMeasured.perSecond
            line(
                "\(target.name), \(size) bytes",
                "\(format(measured.perSecond, 0)) req/s, p99 \(format(measured.samples.percentile(0.99))) ms")
            line(
                "  constant route, same size",
                "\(format(floorMeasured.perSecond, 0)) req/s, p99 \(format(floorMeasured.samples.percentile(0.99))) ms"
            )
            let verdict = target.goal.map {
                ratio >= $0 ? "  met (goal ≥ \(format($0)))" : "  MISSED (goal ≥ \(format($0)))"
            }
            line("  ratio", format(ratio, 3) + (verdict ?? ""))
        }
    }

    private func request(_ url: String, token: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        return request
    }

    private func body(of request: HTTPClientRequest, client: HTTPClient) async throws -> Int {
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        guard response.status == .ok else { throw BenchError("\(request.url) answered \(response.status)") }
        return body.readableBytes
    }

    private func load(client: HTTPClient, request: HTTPClientRequest, seconds: Int) async throws
        -> (perSecond: Double, samples: Samples)
    {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start.advanced(by: .seconds(seconds))
        let samples = try await withThrowingTaskGroup(of: Samples.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var samples = Samples()
                    while clock.now < end {
                        let sent = clock.now
                        let response = try await client.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 22)
                        guard response.status == .ok else {
                            throw BenchError("\(request.url) answered \(response.status)")
                        }
                        samples.add(clock.now - sent)
                    }
                    return samples
                }
            }
            var all = Samples()
            for try await samples in group { all.add(contentsOf: samples) }
            return all
        }
        let elapsed = clock.now - start
        let (whole, fraction) = elapsed.components
        return (Double(samples.count) / (Double(whole) + Double(fraction) / 1e18), samples)
    }
}
