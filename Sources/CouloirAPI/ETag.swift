import CouloirCore
import CouloirDomain
import Foundation

/// Record versions as strong entity tags (RFC 9110): version 3 is `"3"`.
enum ETag {
    /// The longest If-Match read, as the API document states.
    static let maximumLength = 200

    static func of(_ version: Int) -> String { "\"\(version)\"" }

    /// The versions an `If-Match` header names: a comma-separated list of strong tags.
    /// Weak or foreign tags never match, as strong comparison requires, and neither does
    /// `*`: an edit must name the version it was made from. `nil` without the header.
    static func expected(_ header: String?) -> ExpectedVersions? {
        guard let header else { return nil }
        let versions = header.split(separator: ",").compactMap { part -> Int? in
            let tag = part.trimmingCharacters(in: .whitespaces)
            guard tag.count >= 3, tag.first == "\"", tag.last == "\"" else { return nil }
            return Int(tag.dropFirst().dropLast())
        }
        return ExpectedVersions(Set(versions))
    }
}

extension Problem {
    static let ifMatchRequired = Components.Schemas.Problem(
        _type: base + "if-match-required", title: "Precondition required", status: 428,
        detail: "Send If-Match with the ETag of the version you read; nothing was changed.")

    static let ifMatchTooLong = Problem.badRequest(
        detail: "If-Match is longer than \(ETag.maximumLength) characters",
        invalid: [FieldIssue("If-Match", "at most \(ETag.maximumLength) characters")])

    static func stale(_ kind: String, current: Int) -> Components.Schemas.Problem {
        .init(
            _type: base + "stale", title: "Precondition failed", status: 412,
            detail: "The \(kind) has changed: its ETag is now \(ETag.of(current)). Read it again; nothing was changed.")
    }
}
