public import Logging
public import ServiceLifecycle

/// Copies SQLite's write-ahead log into the database file at a steady interval, beside
/// the writers, for a pool opened with `checkpointsApart`: a commit then only appends to
/// the log and syncs it, and never waits for a checkpoint of everything before it.
///
/// A checkpoint copies committed pages: stopping at any point loses nothing, and the
/// last connection to close copies what is left.
public struct WALCheckpointer: Service {
    let pool: DatabasePool
    let interval: Duration
    let logger: Logger

    public init(pool: DatabasePool, interval: Duration = .milliseconds(250), logger: Logger) {
        self.pool = pool
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard !pool.isPostgres else { return }
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                do {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let left = try await pool.checkpoint()
                    let took = clock.now - start
                    if took > DatabasePool.slowWait / 10 {
                        logger.log(
                            level: took > DatabasePool.slowWait ? .warning : .debug, "storage.slow_checkpoint",
                            metadata: ["ms": "\(took.milliseconds)", "frames_left": "\(left)"])
                    }
                } catch {
                    // Stopping cancels a checkpoint under way: the last connection to
                    // close copies what is left, so that is no failure.
                    if Task.isCancelled { break }
                    logger.warning("storage.checkpoint_failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
