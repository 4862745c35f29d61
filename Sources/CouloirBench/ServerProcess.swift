import Foundation

/// A `couloir serve` of this very executable in a process of its own, so that its
/// latency and memory are measured apart from the load generator's.
final class ServerProcess {
    let process = Process()
    let port: Int

    /// Starts the server on `database` on a free loopback port and waits until it serves.
    /// It logs warnings (a slow transaction or checkpoint, with where its time went), or
    /// what `COULOIR_LOG_LEVEL` asks for, to the bench's standard error.
    convenience init(database: String) throws {
        let level = ProcessInfo.processInfo.environment["COULOIR_LOG_LEVEL"] ?? "warning"
        try self.init(arguments: [
            "serve", "--database", database, "--host", "127.0.0.1", "--port", "0", "--log-level", level,
        ])
    }

    /// Starts this executable with `arguments` and waits until it prints the loopback
    /// address it serves.
    init(arguments: [String]) throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var seen = ""
        while true {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw BenchError("the server stopped before serving: \(seen)") }
            seen += String(decoding: data, as: UTF8.self)
            if let range = seen.range(of: #"http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(seen[range].split(separator: ":").last!)!
                break
            }
        }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Resident memory now and at its peak, in MiB, from the kernel's account of the process.
    func memory() -> (resident: Double, peak: Double) {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Double {
            let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// The page faults the process has waited for the disk on: a page of its code or of
    /// a file it maps, read back after the kernel evicted it.
    var majorFaults: Int { majorPageFaults(of: "\(process.processIdentifier)") }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The major page faults of process `pid` ("self" for this one), from `/proc/<pid>/stat`:
/// its 12th field, the 10th after the command name's closing parenthesis.
func majorPageFaults(of pid: String) -> Int {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let end = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    return fields.count > 9 ? Int(fields[9]) ?? 0 : 0
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Latency samples, in milliseconds.
struct Samples {
    private(set) var values: [Double] = []

    mutating func add(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        values.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    mutating func add(contentsOf other: Samples) { values += other.values }

    /// The value below which `fraction` of the samples lie (nearest rank).
    func percentile(_ fraction: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var count: Int { values.count }
}

/// A line of the report, written out at once: the servers' warnings on standard error
/// then fall between the lines of the phase they happened in, also when both go to a file.
func say(_ text: String) {
    print(text)
    fflush(nil)
}

/// A figure for the report, printed aligned.
func line(_ label: String, _ value: String) {
    say("  " + label.padding(toLength: 46, withPad: " ", startingAt: 0) + value)
}

func format(_ value: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f", value)
}
