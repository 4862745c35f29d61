public import Logging
public import ServiceLifecycle

/// Copies SQLite's write-ahead log into the database file at a steady interval, beside
/// the writers, for a pool opened with `checkpointsApart`: a commit then only appends to
/// the log and syncs it, and never waits for a checkpoint of everything before it.
///
/// The log starts again from its beginning only when a transaction begins with all of it
/// copied; a transaction under way while the checkpoint copies, as there nearly always
/// is when tallies arrive steadily, sees it otherwise and appends. So once the log holds
/// `restartAbove` frames, a second checkpoint copies the rest in the writers' turn.
///
/// A checkpoint copies committed pages: stopping at any point loses nothing, and the
/// last connection to close copies what is left.
public struct WALCheckpointer: Service {
    let pool: DatabasePool
    let interval: Duration
    let restartAbove: Int
    let logger: Logger

    /// `restartAbove` defaults to 16,384 frames, 64 MB of 4 KB pages: a log of that size is
    /// written over again about every two seconds at 500 single submissions a second
    /// (15 pages each), a batch of 500 tallies writes over a thousand, and each start
    /// again waits for what was committed since the last checkpoint to be copied. At a
    /// thousand frames, SQLite's own automatic checkpoint, single submissions waited for
    /// that four times a second, and their p99 at 500 a second was worse than without.
    public init(
        pool: DatabasePool, interval: Duration = .milliseconds(250), restartAbove: Int = 16_384, logger: Logger
    ) {
        self.pool = pool
        self.interval = interval
        self.restartAbove = restartAbove
        self.logger = logger
    }

    public func run() async throws {
        // A service that returns stops the whole group: on PostgreSQL, which needs no
        // checkpointer, it waits for the graceful stop like every other service.
        guard !pool.isPostgres else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                do {
                    let clock = ContinuousClock()
                    let start = clock.now
                    var progress = try await pool.checkpoint()
                    if progress.frames >= restartAbove {
                        progress = try await pool.checkpoint(betweenWrites: true)
                    }
                    let took = clock.now - start
                    if took > DatabasePool.slowWait / 10 {
                        logger.log(
                            level: took > DatabasePool.slowWait ? .warning : .debug, "storage.slow_checkpoint",
                            metadata: [
                                "ms": "\(took.milliseconds)", "frames": "\(progress.frames)",
                                "frames_left": "\(progress.left)",
                            ])
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
