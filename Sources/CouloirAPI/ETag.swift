import CouloirDomain
import Foundation

/// Record versions as strong entity tags (RFC 9110): version 3 is `"3"`.
enum ETag {
    /// The longest If-Match read, as the API document states.
    static let maximumLength = 200

    static func of(_ version: Int) -> String { "\"\(version)\"" }

    /// What an `If-Match` header asks for.
    enum Condition: Equatable {
        case any
        case versions(Set<Int>)

        func matches(_ version: Int) -> Bool {
            switch self {
            case .any: true
            case .versions(let versions): versions.contains(version)
            }
        }
    }

    /// Reads `*` or a comma-separated list of strong tags; weak or foreign tags never
    /// match, as strong comparison requires.
    static func condition(_ header: String) -> Condition {
        if header.trimmingCharacters(in: .whitespaces) == "*" { return .any }
        let versions = header.split(separator: ",").compactMap { part -> Int? in
            let tag = part.trimmingCharacters(in: .whitespaces)
            guard tag.count >= 3, tag.first == "\"", tag.last == "\"" else { return nil }
            return Int(tag.dropFirst().dropLast())
        }
        return .versions(Set(versions))
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

/// An update's `If-Match` is missing or names another version.
enum PreconditionError: Error {
    case required
    case failed(kind: String, current: Int)

    /// Checks an update's `If-Match` against the version stored.
    static func check(_ ifMatch: String?, against version: Int, kind: String) throws(PreconditionError) {
        guard let ifMatch else { throw .required }
        guard ETag.condition(ifMatch).matches(version) else { throw .failed(kind: kind, current: version) }
    }
}
