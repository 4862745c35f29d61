import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Single submissions at a steady rate, against the server's health check (one read of
/// the schema version) at the same rate as the floor. Requests leave on a fixed
/// schedule whatever the answers do (`OpenLoop`), and each latency runs from its
/// scheduled departure, so a stall shows in every request it delays.
struct LatencyBench {
    var rate: Int
    var seconds: Int
    var directory: String

    func run(logger: Logger) async throws {
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
        let loop = OpenLoop(host: "127.0.0.1", port: server.port, interval: interval)
        let path = "/api/v1/operations/\(database.operationID)/tallies"
        let health = loop.get("/healthz")
        func tallies(_ count: Int) -> [OpenLoop.Request] {
            generator.next(count).map { loop.post(path, json: BenchTallies.json($0), token: token) }
        }
        // A second of each, unrecorded, to open connections and warm caches.
        _ = try await run(loop, Array(repeating: health, count: rate))
        _ = try await run(loop, tallies(rate))
        let floor = try await run(loop, Array(repeating: health, count: count))
        let faults = (server: server.majorFaults, bench: majorPageFaults(of: "self"))
        let submissions = try await run(loop, tallies(count))
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
        let submit = { try await run(loop, tallies(count)).samples }
        let (busy, _) = try await Hammer(request: HTTPClientRequest(url: "\(server.baseURL)/healthz"), rate: 200)
            .during(submit)
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
        try await loop.close()
    }

    /// Between two departures.
    private var interval: Duration { .nanoseconds(1_000_000_000 / Int64(rate)) }

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

    private func run(_ loop: OpenLoop, _ requests: [OpenLoop.Request]) async throws -> Run {
        Run(latencies: try await loop.run(requests), interval: interval)
    }
}
