public import Foundation

/// Slows password guessing, per account and per address, without letting an attacker
/// lock a real user out: pure bookkeeping, with the clock passed in.
///
/// Each account and each address has a bucket of failures that refills at a steady
/// rate. A sign-in takes one from each as it is admitted (a guess being checked counts
/// as a failure, so a burst of simultaneous guesses is bounded too) and gives it back if
/// it succeeds. A sign-in is refused (with how long to wait) when its address's bucket
/// is empty, or its account's bucket is empty and the address has never signed in to
/// that account. An address a user signed in from before keeps its way in whatever
/// others try against the account; any other address gets a try each time the
/// account's bucket refills.
public struct LoginThrottle: Sendable {
    public struct Limits: Hashable, Sendable {
        /// Failures an account may take before it is slowed.
        public var accountBurst: Double
        /// Seconds for an account's bucket to regain one failure.
        public var accountRefill: TimeInterval
        public var addressBurst: Double
        public var addressRefill: TimeInterval

        public init(
            accountBurst: Double = 5, accountRefill: TimeInterval = 60, addressBurst: Double = 20,
            addressRefill: TimeInterval = 30
        ) {
            self.accountBurst = accountBurst
            self.accountRefill = accountRefill
            self.addressBurst = addressBurst
            self.addressRefill = addressRefill
        }
    }

    struct Bucket: Sendable {
        var tokens: Double
        var at: Date

        mutating func refill(to instant: Date, burst: Double, every seconds: TimeInterval) {
            tokens = min(burst, tokens + max(0, instant.timeIntervalSince(at)) / seconds)
            at = max(at, instant)
        }
    }

    public let limits: Limits
    private var accounts: [String: Bucket] = [:]
    private var addresses: [String: Bucket] = [:]
    /// Addresses each account signed in from, the latest last.
    private var known: [String: [String]] = [:]
    /// How many entries each map keeps; the oldest are forgotten first.
    static let capacity = 100_000

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Admits a sign-in to `account` from `address` at `instant`, counting it as a
    /// failure until `succeeded` says otherwise, so that guesses still being checked
    /// count too; returns `nil` when admitted, otherwise how many seconds to wait.
    public mutating func admit(account: String, address: String, at instant: Date) -> TimeInterval? {
        forgetIfFull()
        var addressBucket = bucket(addresses[address], at: instant, burst: limits.addressBurst)
        addressBucket.refill(to: instant, burst: limits.addressBurst, every: limits.addressRefill)
        if addressBucket.tokens < 1 {
            addresses[address] = addressBucket
            return (1 - addressBucket.tokens) * limits.addressRefill
        }
        let knownAddress = known[account]?.contains(address) == true
        var accountBucket = bucket(accounts[account], at: instant, burst: limits.accountBurst)
        accountBucket.refill(to: instant, burst: limits.accountBurst, every: limits.accountRefill)
        if !knownAddress, accountBucket.tokens < 1 {
            addresses[address] = addressBucket
            accounts[account] = accountBucket
            return (1 - accountBucket.tokens) * limits.accountRefill
        }
        addressBucket.tokens -= 1
        if !knownAddress { accountBucket.tokens -= 1 }
        addresses[address] = addressBucket
        accounts[account] = accountBucket
        return nil
    }

    /// Whether `account` was signed in to from `address` before: such an address keeps
    /// its way in whatever others try.
    public func knows(account: String, address: String) -> Bool {
        known[account]?.contains(address) == true
    }

    /// Notes a success: the attempt did not fail after all, and the address is known
    /// for the account from now on.
    public mutating func succeeded(account: String, address: String, at instant: Date) {
        forgetIfFull()
        var addressesOfAccount = known[account, default: []].filter { $0 != address }
        addressesOfAccount.append(address)
        known[account] = Array(addressesOfAccount.suffix(16))
        accounts[account] = Bucket(tokens: limits.accountBurst, at: instant)
        if var bucket = addresses[address] {
            bucket.tokens = min(limits.addressBurst, bucket.tokens + 1)
            addresses[address] = bucket
        }
    }

    private func bucket(_ existing: Bucket?, at instant: Date, burst: Double) -> Bucket {
        existing ?? Bucket(tokens: burst, at: instant)
    }

    private mutating func forgetIfFull() {
        if accounts.count >= Self.capacity { accounts.removeAll() }
        if addresses.count >= Self.capacity { addresses.removeAll() }
        if known.count >= Self.capacity { known.removeAll() }
    }
}
