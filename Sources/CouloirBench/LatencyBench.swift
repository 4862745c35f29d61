import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Single submissions at a steady rate, against the server's health check (one read of
/// the schema version) at the same rate as the floor. Requests leave on a fixed
/// schedule whatever the answers do, and each latency runs from its scheduled departure,
/// so a stall shows in every request it delays.
struct LatencyBench {
    var rate: Int
    var seconds: Int
    var directory: String

    func run(client: HTTPClient, logger: Logger) async throws {
        say("Latency: single submissions at \(rate) requests/s for \(seconds) s, open loop")
        let database = try await BenchDatabase.create(at: directory + "/latency.sqlite", logger: logger)
        let token = try await database.phoneToken()
        try await database.close()
        // The disk first, alone: what a durable submission cannot be faster than here, now.
        let disk = Run(
            latencies: try await DiskFloor(interval: interval, count: rate * seconds, directory: directory).run(),
            interval: interval)
        let server = try ServerProcess(database: database.path)
        defer { server.stop() }
        var generator = database.tallies(seed: 500)
        let count = rate * seconds
        let url = "\(server.baseURL)/api/v1/operations/\(database.operationID)/tallies"
        // A second of each, unrecorded, to open connections and warm caches.
        _ = try await load(client: client, count: rate, requests: (0..<rate).map { _ in health(server) })
        _ = try await load(
            client: client, count: rate,
            requests: generator.next(rate).map { tally(url, BenchTallies.json($0), token: token) })
        let floor = try await load(client: client, count: count, requests: (0..<count).map { _ in health(server) })
        let faults = (server: server.majorFaults, bench: majorPageFaults(of: "self"))
        let submissions = try await load(
            client: client, count: count,
            requests: generator.next(count).map { tally(url, BenchTallies.json($0), token: token) })
        // A page evicted while cold and read back from disk stalls whoever touches it.
        let faulted = (server: server.majorFaults - faults.server, bench: majorPageFaults(of: "self") - faults.bench)
        for (name, run) in [
            ("floor: a commit’s fsync", disk), ("floor: GET /healthz", floor),
            ("POST …/tallies", submissions),
        ] {
            let samples = run.samples
            line(
                "\(name) p50 / p99 / max (ms)",
                "\(format(samples.percentile(0.5))) / \(format(samples.percentile(0.99))) / \(format(samples.percentile(1)))"
            )
            line(
                "  slowest left at (s), answers over 20 ms",
                "\(format(run.slowestDeparture)), \(run.over(milliseconds: 20))")
        }
        line("  major page faults, server / bench", "\(faulted.server) / \(faulted.bench)")
        let p99 = submissions.samples.percentile(0.99)
        line("ratio p99 submission / floor", format(p99 / floor.samples.percentile(0.99)))
        line("submission p99 (goal ≤ 5 ms)", format(p99) + (p99 <= 5 ? "  met" : "  MISSED"))

        // The same again beside 200 other requests a second: health checks (the floor of
        // any such flood on this machine), then wrong passwords.
        let submit = {
            try await load(
                client: client, count: count,
                requests: generator.next(count).map { tally(url, BenchTallies.json($0), token: token) }
            ).samples
        }
        let (busy, _) = try await Hammer(request: health(server), rate: 200).during(submit)
        let (hammered, attempts) = try await Hammer(request: SignIn.guess(server), rate: 200).during(submit)
        line(
            "beside 200 GET /healthz/s: p50 / p99 (ms)",
            "\(format(busy.percentile(0.5))) / \(format(busy.percentile(0.99)))")
        line(
            "beside 200 wrong sign-ins/s: p50 / p99 (ms)",
            "\(format(hammered.percentile(0.5))) / \(format(hammered.percentile(0.99)))")
        line(
            "  sign-ins / s, share refused with 429",
            "\(format(Double(attempts.total) / Double(seconds), 0)), \(format(attempts.share(429)))")
        line(
            "  ratio p99 sign-ins / health checks",
            format(hammered.percentile(0.99) / busy.percentile(0.99)))
    }

    /// Between two departures.
    private var interval: Duration { .nanoseconds(1_000_000_000 / Int64(rate)) }

    private func health(_ server: ServerProcess) -> HTTPClientRequest {
        HTTPClientRequest(url: "\(server.baseURL)/healthz")
    }

    private func tally(_ url: String, _ body: String, token: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    /// Each request's latency, in the order they left, `interval` apart.
    struct Run {
        var latencies: [Duration]
        var interval: Duration

        var samples: Samples {
            var samples = Samples()
            for latency in latencies { samples.add(latency) }
            return samples
        }

        /// When the slowest request left, in seconds from the first: where a stall began.
        var slowestDeparture: Double {
            guard let index = latencies.indices.max(by: { latencies[$0] < latencies[$1] }) else { return .nan }
            return (interval * index).seconds
        }

        func over(milliseconds: Int) -> Int { latencies.count { $0 > .milliseconds(milliseconds) } }
    }

    private func load(client: HTTPClient, count: Int, requests: [HTTPClientRequest]) async throws -> Run {
        let clock = ContinuousClock()
        let start = clock.now.advanced(by: .milliseconds(10))
        return try await withThrowingTaskGroup(of: (Int, Duration).self) { group in
            for (index, request) in requests.enumerated() {
                let departure = start.advanced(by: interval * index)
                try await clock.sleep(until: departure)
                group.addTask {
                    let response = try await client.execute(request, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    guard (200..<300).contains(response.status.code) else {
                        throw BenchError("\(request.url) answered \(response.status)")
                    }
                    return (index, clock.now - departure)
                }
            }
            var run = Run(latencies: Array(repeating: .zero, count: requests.count), interval: interval)
            for try await (index, latency) in group { run.latencies[index] = latency }
            return run
        }
    }
}
