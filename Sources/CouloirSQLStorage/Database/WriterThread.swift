import NIOPosix

/// One thread that runs both the SQLite calls of the connection that writes and the code
/// of the task that writes through it.
///
/// SQLite's calls run on a thread pool and each statement's caller waits for its answer:
/// on the shared pool, every statement of a transaction is two hand-offs between
/// threads (to the pool, back to the task's), ten statements a tally. A writer that
/// prefers this executor (`DatabasePool.write`, through `withTaskExecutorPreference`)
/// and whose connection's calls run on this pool finds each answer on the thread it is
/// already on: a statement is queued behind the writer's own job and the writer's continuation
/// behind the statement, and the thread goes from one to the next without sleeping.
/// Nothing is held longer: the transaction is the same, one at a time.
public final class WriterThread: TaskExecutor {
    let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // Once the pool has stopped, `submit` runs the closure at once on this thread:
        // the job still runs.
        pool.submit { _ in job.runSynchronously(on: executor) }
    }

    func shutdown() async throws {
        try await pool.shutdownGracefully()
    }
}
