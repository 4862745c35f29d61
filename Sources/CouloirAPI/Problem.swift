import CouloirDomain
import CouloirStorage

/// RFC 9457 problem documents, made in one place.
enum Problem {
    /// Problem types are URNs: names, not addresses; the API document lists them.
    static let base = "urn:couloir:problem:"

    static func notFound(_ kind: String, _ id: String) -> Components.Schemas.Problem {
        .init(_type: base + "not-found", title: "Not found", status: 404, detail: "No \(kind) \(id).")
    }

    static func unauthenticated(_ detail: String) -> Components.Schemas.Problem {
        .init(_type: base + "unauthenticated", title: "Unauthorized", status: 401, detail: detail)
    }

    static func badRequest(detail: String, invalid: [FieldIssue]) -> Components.Schemas.Problem {
        .init(
            _type: base + "bad-request", title: "Bad request", status: 400, detail: detail,
            invalidParams: invalid.isEmpty ? nil : invalid.map { .init(pointer: $0.pointer, reason: $0.reason) })
    }

    static func invalid(_ issues: [FieldIssue]) -> Components.Schemas.Problem {
        .init(
            _type: base + "invalid", title: "Invalid request", status: 422,
            detail: issues.map(\.description).joined(separator: "; "),
            invalidParams: issues.map { .init(pointer: $0.pointer, reason: $0.reason) })
    }
}
