import CouloirAudit
import CouloirStorage
import Logging
import ServiceLifecycle

/// Signs the audit log's tree head at a steady interval while the server runs, and once
/// more as it stops, so that what was written is vouched for before the process ends.
struct TreeHeadSigner: Service {
    let store: any AuditRepository
    let key: AuditSigningKey
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: interval)) != nil {
                await sign()
            }
        }
        // Listed after the storage service, this runs before the pool closes.
        await sign()
    }

    private func sign() async {
        do {
            if let signed = try await store.signTreeHead(with: key) {
                logger.info(
                    "audit.signed",
                    metadata: ["audit.size": "\(signed.head.size)", "audit.root": "\(signed.head.root.hex)"])
            }
        } catch {
            logger.error("audit.sign_failed", metadata: ["error": "\(error)"])
        }
    }
}
