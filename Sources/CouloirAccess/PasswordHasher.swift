import Crypto
import Foundation
import HummingbirdBcrypt
public import NIOPosix

/// Hashes passwords with bcrypt, off the request executor.
///
/// bcrypt reads at most 72 bytes and stops at a zero byte, so a long password (72 bytes
/// are 18 emoji, or 36 Arabic letters) would be cut short. Couloir hashes
/// base64(SHA-256(NFC(password))) instead: 44 ASCII bytes, no zero byte, every
/// character of the password counted, and one password typed as composed or decomposed
/// characters the same password.
public struct PasswordHasher: Sendable {
    /// log₂ of bcrypt's rounds: 12 in production; tests may pass less to run quickly.
    public let cost: UInt8
    let threadPool: NIOThreadPool

    /// One thread of its own for signing in: a flood of sign-ins takes at most one core
    /// and never queues ahead of the database's work on the shared pool.
    public static let signInThreads = started(threads: 1)

    /// Threads of their own for every other hash (adding a user, changing a password, the
    /// demo's users): never the shared pool that runs SQLite's calls, where a few hashes
    /// at once would hold every read of the database behind them.
    public static let hashingThreads = started(threads: 2)

    private static func started(threads: Int) -> NIOThreadPool {
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        return pool
    }

    public init(cost: UInt8 = 12, threadPool: NIOThreadPool = PasswordHasher.hashingThreads) {
        precondition((4...31).contains(cost), "bcrypt's cost lies in 4...31")
        self.cost = cost
        self.threadPool = threadPool
    }

    public func hash(_ password: String) async throws -> String {
        let text = Self.prehash(password)
        let cost = cost
        return try await threadPool.runIfActive { Bcrypt.hash(text, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        let text = Self.prehash(password)
        return try await threadPool.runIfActive { Bcrypt.verify(text, hash: hash) }
    }

    /// What bcrypt is given for `password`.
    public static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.precomposedStringWithCanonicalMapping.utf8))).base64EncodedString()
    }
}
