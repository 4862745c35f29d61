import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The flow and progress endpoints, and the dashboard page that draws its map and charts
/// from the same figures, on a database of a few tallies and on one of many, over the
/// same three days and checkpoints: rollups keep the cost of a figure to the
/// quarter-hours it covers, whatever the number of tallies.
struct FiguresBench {
    var small: Int
    var large: Int
    var requests: Int
    var directory: String

    func run(client: HTTPClient, logger: Logger) async throws {
        say("Figures: \(requests) requests per endpoint at \(small) and at \(large) tallies")
        var results: [(tallies: Int, flow: Samples, progress: Samples, dashboard: Samples, peak: Double)] = []
        for count in [small, large] {
            let path = directory + "/figures-\(count).sqlite"
            let database = try await loaded(path, tallies: count, logger: logger)
            let token = try await database.scriptToken()
            let user = try await database.pageUser()
            try await database.close()
            let server = try ServerProcess(database: database.path)
            defer { server.stop() }
            let base = "\(server.baseURL)/api/v1/operations/\(database.operationID)/figures"
            let flow = "\(base)/flow?groupBy=corridor&groupBy=direction"
            let progress = "\(base)/progress?at=2016-10-21T12:00:00%2B03:00"
            let cookie = try await PageSession.signIn(server.baseURL, user)
            let dashboard = "\(server.baseURL)/operations/\(database.operationID)/dashboard?at=2016-10-21T12:00"
            _ = try await measure(client, flow, token: token, times: 10)
            _ = try await measure(client, progress, token: token, times: 10)
            _ = try await measure(client, dashboard, cookie: cookie, times: 10)
            results.append(
                (
                    count, try await measure(client, flow, token: token, times: requests),
                    try await measure(client, progress, token: token, times: requests),
                    try await measure(client, dashboard, cookie: cookie, times: requests), server.memory().peak
                ))
        }
        for result in results {
            line(
                "\(result.tallies) tallies: flow p50 / p95 (ms)",
                "\(format(result.flow.percentile(0.5))) / \(format(result.flow.percentile(0.95)))")
            line(
                "\(result.tallies) tallies: progress p50 / p95 (ms)",
                "\(format(result.progress.percentile(0.5))) / \(format(result.progress.percentile(0.95)))")
            line(
                "\(result.tallies) tallies: dashboard page p50 / p95 (ms)",
                "\(format(result.dashboard.percentile(0.5))) / \(format(result.dashboard.percentile(0.95)))")
            line("\(result.tallies) tallies: server peak resident memory (MiB)", format(result.peak, 1))
        }
        let flowRatio = results[1].flow.percentile(0.95) / results[0].flow.percentile(0.95)
        let progressRatio = results[1].progress.percentile(0.95) / results[0].progress.percentile(0.95)
        line("ratio p95 flow large / small (goal ≤ 2)", format(flowRatio) + (flowRatio <= 2 ? "  met" : "  MISSED"))
        line(
            "ratio p95 progress large / small (goal ≤ 2)",
            format(progressRatio) + (progressRatio <= 2 ? "  met" : "  MISSED"))
        let dashboardRatio = results[1].dashboard.percentile(0.95) / results[0].dashboard.percentile(0.95)
        line(
            "ratio p95 dashboard large / small (goal ≤ 2)",
            format(dashboardRatio) + (dashboardRatio <= 2 ? "  met" : "  MISSED"))
        let dashboardLarge = results[1].dashboard.percentile(0.95)
        line(
            "dashboard p95 at \(large) (goal ≤ 100 ms)",
            format(dashboardLarge) + (dashboardLarge <= 100 ? "  met" : "  MISSED"))
        let peak = results[1].peak
        line("peak memory at \(large) (goal ≤ 150 MiB)", format(peak, 1) + (peak <= 150 ? "  met" : "  MISSED"))
    }

    /// The database of `count` tallies: the one a previous run finished loading, marked by
    /// a file beside it, or a new one, as loading ten million takes half an hour.
    private func loaded(_ path: String, tallies count: Int, logger: Logger) async throws -> BenchDatabase {
        let marker = path + ".loaded"
        if FileManager.default.fileExists(atPath: marker), FileManager.default.fileExists(atPath: path) {
            say("  reusing the \(count) tallies a previous run stored in \(path)")
            return try await BenchDatabase.open(at: path, logger: logger)
        }
        try? FileManager.default.removeItem(atPath: marker)
        let database = try await BenchDatabase.create(at: path, logger: logger)
        var generator = database.tallies(seed: UInt64(count))
        var stored = 0
        let started = ContinuousClock.now
        let elapsed = { format(IngestBench.seconds(ContinuousClock.now - started), 0) }
        while stored < count {
            let batch = generator.next(min(500, count - stored))
            _ = try await database.store.submit(batch: batch)
            stored += batch.count
            if stored % 1_000_000 == 0 { say("  … \(stored) tallies stored in \(elapsed()) s") }
        }
        say("  \(count) tallies stored in \(elapsed()) s")
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        return database
    }

    private func measure(_ client: HTTPClient, _ url: String, token: String? = nil, cookie: String? = nil, times: Int)
        async throws -> Samples
    {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "cookie", value: cookie) }
        var samples = Samples()
        let clock = ContinuousClock()
        for _ in 0..<times {
            let start = clock.now
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 16 << 20)
            guard response.status == .ok else { throw BenchError("\(url) answered \(response.status)") }
            samples.add(clock.now - start)
        }
        return samples
    }
}
