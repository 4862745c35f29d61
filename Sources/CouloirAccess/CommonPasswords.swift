public import CouloirDomain
import Foundation

extension PasswordPolicy {
    /// The policy with the 30,000 most common passwords of zxcvbn's list.
    public static func standard() throws -> PasswordPolicy {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        return PasswordPolicy(
            commonPasswords: text.split(separator: "\n").lazy.filter { !$0.hasPrefix("#") }.map(String.init))
    }
}
