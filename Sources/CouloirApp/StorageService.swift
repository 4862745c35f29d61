import CouloirSQLStorage
import CouloirStorage
import ServiceLifecycle

/// Keeps the database pool open while the application runs, and closes it once the
/// server has drained.
struct StorageService: Service {
    let pool: DatabasePool

    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdown()
    }
}
