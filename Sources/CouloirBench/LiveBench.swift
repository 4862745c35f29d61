import AsyncHTTPClient
import CouloirDomain
import Foundation
import Logging
import NIOCore
import Synchronization

/// Dashboards subscribed to an operation's changes while tallies arrive at a steady
/// rate: every subscriber must receive every tally's event. The delay runs from each
/// submission's departure (its own answer included) to its event's arrival at each
/// subscriber; one subscriber is the floor for many. The server's memory is read with
/// the streams open.
struct LiveBench {
    var subscribers: Int
    var rate: Int
    var seconds: Int
    var directory: String

    struct Round {
        var delays = Samples()
        var expected = 0
        var resident = 0.0
    }

    /// What the round's tasks note as it runs.
    final class Progress: Sendable {
        let departures = Mutex<[String: ContinuousClock.Instant]>([:])
        let opened = Atomic<Int>(0)
        let received = Atomic<Int>(0)
    }

    func run(client: HTTPClient, logger: Logger) async throws {
        say("Live: \(subscribers) dashboards subscribed while tallies arrive at \(rate)/s for \(seconds) s")
        let database = try await BenchDatabase.create(at: directory + "/live.sqlite", logger: logger)
        let token = try await database.phoneToken()
        let user = try await database.pageUser()
        var generator = database.tallies(seed: 700)
        try await database.close()
        let server = try ServerProcess(database: database.path)
        defer { server.stop() }
        let cookie = try await PageSession.signIn(server.baseURL, user)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: subscribers + 8)
        let listeners = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let idle = server.memory().resident
        let rounds: [Round]
        do {
            var done: [Round] = []
            for count in [1, subscribers] {
                done.append(
                    try await round(
                        count, server: server, cookie: cookie, listeners: listeners, submitter: client,
                        tallies: generator.next(rate * seconds), token: token,
                        url: (server.baseURL, database.operationID.description)))
            }
            rounds = done
            try await listeners.shutdown()
        } catch {
            try? await listeners.shutdown()
            throw error
        }
        for (count, round) in zip([1, subscribers], rounds) {
            line(
                "\(count) subscriber(s): events received / expected",
                "\(round.delays.count) / \(round.expected)"
                    + (round.delays.count == round.expected ? "  all" : "  LOST"))
            line(
                "\(count) subscriber(s): delay p50 / p99 / max (ms)",
                "\(format(round.delays.percentile(0.5))) / \(format(round.delays.percentile(0.99)))"
                    + " / \(format(round.delays.percentile(1)))")
        }
        let p99 = rounds[1].delays.percentile(0.99)
        line(
            "ratio p99 delay \(subscribers) / 1 subscriber", format(p99 / rounds[0].delays.percentile(0.99)))
        line("delay p99 at \(subscribers) (goal ≤ 1000 ms)", format(p99) + (p99 <= 1000 ? "  met" : "  MISSED"))
        line(
            "resident memory idle / \(subscribers) streams (MiB)",
            "\(format(idle, 1)) / \(format(rounds[1].resident, 1))")
        line("server peak resident memory (MiB)", format(server.memory().peak, 1))
    }

    /// Opens `count` streams, submits `tallies` on a fixed schedule, and waits (at most
    /// ten seconds after the last) until each stream had each tally's event.
    private func round(
        _ count: Int, server: ServerProcess, cookie: String, listeners: HTTPClient, submitter: HTTPClient,
        tallies: [Tally], token: String, url: (base: String, operation: String)
    ) async throws -> Round {
        let clock = ContinuousClock()
        let progress = Progress()
        var round = Round(expected: count * tallies.count)
        try await withThrowingTaskGroup(of: [String: ContinuousClock.Instant].self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await Self.listen(
                        "\(url.base)/operations/\(url.operation)/dashboard/changes", cookie: cookie,
                        client: listeners, progress: progress)
                }
            }
            let deadline = clock.now.advanced(by: .seconds(30))
            while progress.opened.load(ordering: .relaxed) < count {
                guard clock.now < deadline else { throw BenchError("streams did not open") }
                try await clock.sleep(for: .milliseconds(10))
            }
            round.resident = server.memory().resident
            try await submit(
                tallies, to: "\(url.base)/api/v1/operations/\(url.operation)/tallies", token: token,
                client: submitter, progress: progress)
            let patience = clock.now.advanced(by: .seconds(10))
            while progress.received.load(ordering: .relaxed) < round.expected, clock.now < patience {
                try await clock.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
            let sent = progress.departures.withLock { $0 }
            for try await arrivals in group {
                for (id, arrival) in arrivals {
                    if let departure = sent[id] { round.delays.add(arrival - departure) }
                }
            }
        }
        return round
    }

    /// Submits each tally at its time in the schedule, noting when it left.
    private func submit(
        _ tallies: [Tally], to url: String, token: String, client: HTTPClient,
        progress: Progress
    ) async throws {
        let clock = ContinuousClock()
        let start = clock.now.advanced(by: .milliseconds(10))
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, tally) in tallies.enumerated() {
                let departure = start.advanced(by: interval * index)
                try await clock.sleep(until: departure)
                progress.departures.withLock { $0[tally.id.description] = departure }
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "content-type", value: "application/json")
                request.headers.add(name: "authorization", value: "Bearer \(token)")
                request.body = .bytes(ByteBuffer(string: BenchTallies.json(tally)))
                group.addTask {
                    let response = try await client.execute(request, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    guard response.status == .created else { throw BenchError("a tally answered \(response.status)") }
                }
            }
            try await group.waitForAll()
        }
    }

    /// One dashboard's stream: when each tally's event arrived, until it is cancelled.
    private static func listen(
        _ url: String, cookie: String, client: HTTPClient, progress: Progress
    ) async throws -> [String: ContinuousClock.Instant] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "cookie", value: cookie)
        request.headers.add(name: "accept", value: "text/event-stream")
        var arrivals: [String: ContinuousClock.Instant] = [:]
        var pending = ""
        do {
            let response = try await client.execute(request, timeout: .hours(1))
            guard response.status == .ok else { throw BenchError("the stream answered \(response.status)") }
            var first = true
            for try await chunk in response.body {
                if first {
                    progress.opened.add(1, ordering: .relaxed)
                    first = false
                }
                let now = ContinuousClock.now
                pending += String(buffer: chunk)
                while let end = pending.range(of: "\n\n") {
                    let event = pending[..<end.lowerBound]
                    if event.contains("\"kind\":\"tally\""), let key = event.range(of: "\"id\":\"") {
                        arrivals[String(event[key.upperBound...].prefix(36))] = now
                        progress.received.add(1, ordering: .relaxed)
                    }
                    pending.removeSubrange(..<end.upperBound)
                }
            }
        } catch is CancellationError {
        } catch let error as HTTPClientError where error == .cancelled {
        }
        return arrivals
    }
}
