import AsyncHTTPClient
import CouloirAudit
import CouloirDomain
import CouloirStorage
import Foundation
import Logging
import NIOCore
import SQLKit

/// Batched tallies through the API against raw batched inserts of the same rows (tallies,
/// their counts, their audit entries) into a file with the same schema: the floor no
/// server can beat.
struct IngestBench {
    var tallies: Int
    var batch: Int
    /// Devices sending batches at once in the second API run.
    var devices: Int
    var directory: String

    func run(client: HTTPClient, logger: Logger) async throws {
        say("Ingest: \(tallies) tallies in batches of \(batch), SQLite with synchronous=FULL")
        let floor = try await BenchDatabase.create(at: directory + "/ingest-floor.sqlite", logger: logger)
        var generator = floor.tallies(seed: 20_161_020)
        let rows = generator.next(tallies)
        let entries = try Self.auditEntries(of: rows, from: try await floor.store.auditSize())
        let floorClock = ContinuousClock.now
        var seq: Int64 = 0
        for chunk in rows.batches(of: batch) {
            let first = seq + 1
            try await floor.pool.transaction { database in
                try await Self.insertRaw(chunk, firstSeq: first, on: database)
                try await Self.insertRaw(entries[Int(first - 1)..<Int(first - 1) + chunk.count], on: database)
            }
            seq += Int64(chunk.count)
        }
        let floorSeconds = Self.seconds(ContinuousClock.now - floorClock)
        try await floor.close()

        // The repository in-process: what storage costs beyond the floor, without HTTP or JSON.
        let direct = try await BenchDatabase.create(at: directory + "/ingest-repository.sqlite", logger: logger)
        let directClock = ContinuousClock.now
        for chunk in rows.batches(of: batch) {
            _ = try await direct.store.submit(batch: Array(chunk))
        }
        let directSeconds = Self.seconds(ContinuousClock.now - directClock)
        try await direct.close()

        let bodies = rows.batches(of: batch).map {
            #"{"items":["# + $0.map(BenchTallies.json).joined(separator: ",") + "]}"
        }
        var rates = [(devices: 1, rate: try await apiRate(bodies, devices: 1, client: client, logger: logger))]
        if devices > 1 {
            rates.append((devices, try await apiRate(bodies, devices: devices, client: client, logger: logger)))
        }

        let floorRate = Double(tallies) / floorSeconds
        line("floor: raw inserts (tallies/s)", format(floorRate, 0))
        line("repository in-process (tallies/s)", format(Double(tallies) / directSeconds, 0))
        for (devices, rate) in rates {
            line("API …/tallies/batch, \(devices == 1 ? "1 device" : "\(devices) devices at once")", format(rate, 0))
            line(
                "  ratio API / floor (goal ≥ 0.50)",
                format(rate / floorRate) + (rate / floorRate >= 0.5 ? "  met" : "  MISSED"))
        }
    }

    /// Tallies per second through the batch endpoint of a server of its own, with
    /// `devices` clients each sending every `devices`-th batch, one after another.
    private func apiRate(_ bodies: [String], devices: Int, client: HTTPClient, logger: Logger) async throws -> Double {
        let api = try await BenchDatabase.create(at: directory + "/ingest-api-\(devices).sqlite", logger: logger)
        let token = try await api.phoneToken()
        try await api.close()
        let server = try ServerProcess(database: api.path)
        defer { server.stop() }
        let url = "\(server.baseURL)/api/v1/operations/\(api.operationID)/tallies/batch"
        let started = ContinuousClock.now
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for device in 0..<devices {
                group.addTask {
                    var created = 0
                    for body in stride(from: device, to: bodies.count, by: devices).map({ bodies[$0] }) {
                        created += try await Self.send(body, to: url, token: token, client: client)
                    }
                    return created
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = Self.seconds(ContinuousClock.now - started)
        guard created == tallies else { throw BenchError("\(created) of \(tallies) tallies were created") }
        return Double(tallies) / seconds
    }

    /// Sends one batch and returns how many of its tallies were created.
    private static func send(_ body: String, to url: String, token: String, client: HTTPClient) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(token)")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let answer = String(buffer: try await response.body.collect(upTo: 16 << 20))
        guard response.status == .ok else { throw BenchError("batch answered \(response.status): \(answer)") }
        return try JSONDecoder().decode(BatchAnswer.self, from: Data(answer.utf8)).results
            .filter { $0.outcome == "created" }.count
    }

    private struct BatchAnswer: Decodable {
        struct Result: Decodable { let outcome: String }
        let results: [Result]
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The audit entries the API would write for `tallies` after the `first` ones the log
    /// holds, made before the floor is timed (their roots are of these entries alone).
    static func auditEntries(of tallies: [Tally], from first: Int64) throws -> [(
        index: Int64, text: String, root: String
    )] {
        var frontier = MerkleFrontier()
        return try tallies.map { tally in
            let text = AuditEntry(
                index: first + frontier.size, at: AuditTime.text(Date()), actor: "system:couloir", action: "create",
                kind: "tally", id: tally.id.description, operation: tally.operationID.description, before: nil,
                after: try RecordDigest.of(tally)
            ).text
            frontier.append(leafHash: MerkleHash.leaf(Data(text.utf8)))
            return (first + frontier.size - 1, text, frontier.root.hex)
        }
    }

    static func insertRaw(
        _ entries: ArraySlice<(index: Int64, text: String, root: String)>, on database: any SQLDatabase
    ) async throws {
        var insert = database.insert(into: "audit_events").columns("leaf_index", "entry", "root")
        for entry in entries { insert = insert.values(SQLBind(entry.index), SQLBind(entry.text), SQLBind(entry.root)) }
        try await insert.run()
    }

    /// The rows the API would store, written as directly as SQLKit allows: sequence
    /// numbers given, no conflict handling, no reading back, no rollups, audit entries
    /// made beforehand.
    static func insertRaw(_ tallies: ArraySlice<Tally>, firstSeq: Int64, on database: any SQLDatabase) async throws {
        var insert = database.insert(into: "tallies")
            .columns(
                "seq", "operation_id", "id", "checkpoint_id", "starts_at", "ends_at", "direction", "cars", "buses",
                "ambulances", "supersedes", "source", "received_at")
        let source = #"{"illustrative":true,"kind":"monitor","name":"Bench team"}"#
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for (offset, tally) in tallies.enumerated() {
            insert = insert.values(
                SQLBind(firstSeq + Int64(offset)), SQLBind(tally.operationID.description),
                SQLBind(tally.id.description),
                SQLBind(tally.checkpointID.description),
                SQLBind(Int64(tally.interval.start.timeIntervalSince1970 * 1000)),
                SQLBind(Int64(tally.interval.end.timeIntervalSince1970 * 1000)), SQLBind(tally.direction.rawValue),
                SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(tally.supersedes?.description), SQLBind(source),
                SQLBind(now))
        }
        try await insert.run()
        var counts = database.insert(into: "tally_counts").columns("tally_seq", "grp", "people")
        for (offset, tally) in tallies.enumerated() {
            for count in tally.counts {
                counts = counts.values(
                    SQLBind(firstSeq + Int64(offset)), SQLBind(count.group.rawValue), SQLBind(count.people))
            }
        }
        try await counts.run()
    }
}
