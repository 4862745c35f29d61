import AsyncHTTPClient
import Foundation
import Logging

/// What `couloir bench` runs, and how big.
public struct BenchPlan: Sendable {
    public var only: Set<String>
    public var directory: String
    public var ingestTallies: Int
    public var batch: Int
    public var devices: Int
    public var rate: Int
    public var seconds: Int
    public var smallTallies: Int
    public var largeTallies: Int
    public var requests: Int
    public var connections: Int
    public var subscribers: Int

    public init(
        only: Set<String>, directory: String, ingestTallies: Int, batch: Int, devices: Int, rate: Int, seconds: Int,
        smallTallies: Int, largeTallies: Int, requests: Int, connections: Int, subscribers: Int
    ) {
        self.only = only
        self.directory = directory
        self.ingestTallies = ingestTallies
        self.batch = batch
        self.devices = devices
        self.rate = rate
        self.seconds = seconds
        self.smallTallies = smallTallies
        self.largeTallies = largeTallies
        self.requests = requests
        self.connections = connections
        self.subscribers = subscribers
    }

    public func run() async throws {
        var logger = Logger(label: "couloir.bench")
        logger.logLevel = .error
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .bench)
        do {
            if only.contains("ingest") {
                try await IngestBench(tallies: ingestTallies, batch: batch, devices: devices, directory: directory)
                    .run(client: client, logger: logger)
            }
            if only.contains("latency") {
                try await LatencyBench(rate: rate, seconds: seconds, directory: directory)
                    .run(logger: logger)
            }
            if only.contains("reads") {
                try await ReadsBench(seconds: seconds, connections: connections, directory: directory)
                    .run(client: client, logger: logger)
            }
            if only.contains("figures") {
                try await FiguresBench(
                    small: smallTallies, large: largeTallies, requests: requests, directory: directory
                ).run(client: client, logger: logger)
            }
            if only.contains("live") {
                // Tallies at 100 a second, as a busy pause's phones send them.
                try await LiveBench(subscribers: subscribers, rate: 100, seconds: seconds, directory: directory)
                    .run(client: client, logger: logger)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

extension HTTPClient.Configuration {
    /// Up to 64 connections to the server, each closed after 30 s idle: before the
    /// server's 60 s would, or a request sent on one the server closes at that instant
    /// fails with "I/O on closed channel".
    static var bench: Self {
        var configuration = Self()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return configuration
    }
}
