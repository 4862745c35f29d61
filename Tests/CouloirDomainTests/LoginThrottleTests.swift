import CouloirDomain
import Foundation
import Testing

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    @Test func anAccountIsSlowedAfterFiveFailuresAndRecoversAsItsBucketRefills() {
        var throttle = LoginThrottle()
        for attempt in 0..<5 {
            #expect(throttle.admit(account: "amal", address: "198.51.100.7", at: at(Double(attempt))) == nil)
        }
        let wait = throttle.admit(account: "amal", address: "198.51.100.7", at: at(5))
        #expect(wait != nil && wait! > 50 && wait! <= 60, "waits about a minute, not forever: \(wait ?? -1)")
        #expect(throttle.admit(account: "amal", address: "198.51.100.7", at: at(65)) == nil)
    }

    @Test func anAttackerCannotLockOutAUserAtAnAddressTheyUsedBefore() {
        var throttle = LoginThrottle()
        throttle.succeeded(account: "amal", address: "203.0.113.20", at: at(0))
        // A day of guessing from many addresses, one guess a second.
        var refused = 0
        for second in 0..<86_400 {
            let attacker = "192.0.2.\(second % 200)"
            if throttle.admit(account: "amal", address: attacker, at: at(Double(second))) != nil {
                refused += 1
            }
            if second % 3_600 == 0 {
                #expect(throttle.admit(account: "amal", address: "203.0.113.20", at: at(Double(second))) == nil)
                throttle.succeeded(account: "amal", address: "203.0.113.20", at: at(Double(second)))
            }
        }
        // The account's bucket lets one guess through a minute: 1,440 in a day, plus the
        // burst at the start and again after each of the user's 24 sign-ins.
        #expect(86_400 - refused <= 1_440 + 5 * 25, "guesses let through: \(86_400 - refused)")
    }

    @Test func oneAddressIsSlowedAcrossAccounts() {
        var throttle = LoginThrottle()
        for attempt in 0..<20 {
            #expect(throttle.admit(account: "user\(attempt)", address: "192.0.2.9", at: at(0)) == nil)
        }
        #expect(throttle.admit(account: "someone", address: "192.0.2.9", at: at(0)) != nil)
        #expect(throttle.admit(account: "someone", address: "192.0.2.10", at: at(0)) == nil, "another address is not")
        #expect(throttle.admit(account: "someone", address: "192.0.2.9", at: at(30)) == nil, "a token back in 30 s")
    }

    @Test func aSuccessRefillsTheAccount() {
        var throttle = LoginThrottle()
        for _ in 0..<5 { _ = throttle.admit(account: "amal", address: "198.51.100.7", at: at(0)) }
        #expect(throttle.admit(account: "amal", address: "198.51.100.8", at: at(1)) != nil)
        throttle.succeeded(account: "amal", address: "198.51.100.9", at: at(2))
        #expect(throttle.admit(account: "amal", address: "198.51.100.8", at: at(3)) == nil)
    }

    @Test func guessesStillBeingCheckedCountSoASimultaneousBurstIsBounded() {
        var throttle = LoginThrottle()
        // A hundred guesses arrive before the first is checked.
        let admitted = (0..<100).filter { _ in
            throttle.admit(account: "amal", address: "192.0.2.1", at: at(0)) == nil
        }
        #expect(admitted.count == 5)
    }
}
