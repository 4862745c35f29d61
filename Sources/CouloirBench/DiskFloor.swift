import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The disk's own share of a durable submission, measured in the same run as the
/// submissions: what one commit writes to SQLite's log, written and synced on the same
/// open-loop schedule, beside what the checkpoints copy into the database file and sync.
/// No server can acknowledge a stored tally faster than its disk syncs it, so a stall
/// here is a stall of the submissions too.
struct DiskFloor {
    /// Between two commits' departures.
    var interval: Duration
    var count: Int
    var directory: String

    /// One single submission's commit: the log grows about 60 KB a submission at 500 a
    /// second (measured with the checkpoints held back), 15 pages of 4 KB.
    static let commitBytes = 15 * 4096
    /// What a checkpoint copies at that rate: the disk wrote about 35 MB/s during the
    /// submissions, the log 30 MB/s of it, so about 1.2 MB every 250 ms.
    static let checkpointBytes = 300 * 4096
    static let checkpointInterval = Duration.milliseconds(250)

    /// Each synced commit's latency from its scheduled departure.
    func run() async throws -> [Duration] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try measure() }) }
        }
    }

    private func measure() throws -> [Duration] {
        let log = try DiskFile(path: directory + "/disk-floor.log")
        let database = try DiskFile(path: directory + "/disk-floor.db")
        defer {
            log.remove()
            database.remove()
        }
        let done = Flag()
        let stopped = DispatchSemaphore(value: 0)
        let checkpointer = Thread {
            defer { stopped.signal() }
            var end = 0
            while !done.value.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: Self.checkpointInterval.seconds)
                // Pages already in the file and pages it grows by, as a checkpoint of a
                // growing database copies both.
                try? database.write(count: Self.checkpointBytes / 2, at: end / 2)
                try? database.write(count: Self.checkpointBytes / 2, at: end)
                end += Self.checkpointBytes / 2
                try? database.sync()
            }
        }
        checkpointer.start()
        defer {
            done.value.store(true, ordering: .relaxed)
            stopped.wait()
        }

        let clock = ContinuousClock()
        let start = clock.now
        // The log restarts from its beginning once checkpointed: a few megabytes reused.
        let logSize = 64 * Self.commitBytes
        var latencies: [Duration] = []
        for index in 0..<count {
            let departure = start.advanced(by: interval * index)
            if departure > clock.now { Thread.sleep(forTimeInterval: (departure - clock.now).seconds) }
            try log.write(count: Self.commitBytes, at: (index * Self.commitBytes) % logSize)
            try log.sync()
            latencies.append(clock.now - departure)
        }
        return latencies
    }
}

private final class Flag: Sendable {
    let value = Atomic(false)
}

/// A file written with `pwrite` and synced with `fsync`, as SQLite does.
private struct DiskFile: Sendable {
    let path: String
    let descriptor: Int32
    let page: [UInt8]

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw BenchError("cannot open \(path): errno \(errno)") }
        page = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    }

    func write(count: Int, at offset: Int) throws {
        for start in stride(from: 0, to: count, by: page.count) {
            let written = page.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset + start)) }
            guard written == page.count else { throw BenchError("cannot write \(path): errno \(errno)") }
        }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw BenchError("cannot sync \(path): errno \(errno)") }
    }

    func remove() {
        close(descriptor)
        unlink(path)
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
