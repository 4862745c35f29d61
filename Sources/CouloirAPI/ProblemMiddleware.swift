import CouloirCore
import CouloirDomain
import CouloirStorage
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Turns every error an operation throws into an RFC 9457 problem document: the one
/// place where domain and storage errors meet HTTP.
struct ProblemMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            let problem = Self.problem(for: error)
            // What went wrong on the server is logged with the request's id by the
            // router's outermost middleware, which answers it: hand it the cause.
            if problem.status >= 500 { throw error.underlyingError }
            return Self.response(for: problem)
        }
    }

    /// The query parameters of `request` whose value is `text`.
    static func queryParameters(of request: HTTPRequest, carrying text: String) -> [String] {
        guard let path = request.path, let items = URLComponents(string: path)?.queryItems else { return [] }
        return items.filter { $0.value == text }.map(\.name)
    }

    /// The query parameters a decoding error without a body is about: those whose value
    /// the error quotes, else those that are no number when a number was expected, else
    /// all of them. Nil when the request has no query.
    static func queryParameters(of request: HTTPRequest, failing error: DecodingError, _ reason: String)
        -> [String]?
    {
        guard let path = request.path, let items = URLComponents(string: path)?.queryItems, !items.isEmpty else {
            return nil
        }
        let quoted = items.filter { item in item.value.map { !$0.isEmpty && reason.hasSuffix(" " + $0) } ?? false }
        if !quoted.isEmpty { return Array(Set(quoted.map(\.name))).sorted() }
        if case .typeMismatch = error {
            let notNumbers = items.filter { Double($0.value ?? "") == nil }
            if !notNumbers.isEmpty { return Array(Set(notNumbers.map(\.name))).sorted() }
        }
        return Array(Set(items.map(\.name))).sorted()
    }

    static func problem(for error: ServerError) -> Components.Schemas.Problem {
        switch error.underlyingError {
        case let domain as DomainError:
            switch domain {
            case .invalid(let issues):
                return Problem.invalid(issues)
            case .illegalTransition:
                return .init(
                    _type: Problem.base + "illegal-transition", title: "Illegal transition", status: 409,
                    detail: domain.description)
            case .conflict:
                return .init(
                    _type: Problem.base + "conflict", title: "Conflict", status: 409, detail: domain.description)
            }
        case let storage as StorageError:
            switch storage {
            case .notFound(let kind, let id):
                return Problem.notFound(kind, id)
            case .duplicate:
                return .init(
                    _type: Problem.base + "duplicate", title: "Duplicate", status: 409, detail: storage.description)
            case .versionMismatch:
                return .init(
                    _type: Problem.base + "stale", title: "Precondition failed", status: 412,
                    detail: storage.description + "; read it again and retry with its new ETag")
            case .invalidCursor:
                return Problem.invalid([FieldIssue("cursor", storage.description)])
            case .databaseFromNewerVersion, .migrationsPending, .corrupt, .stopping, .full:
                return .init(
                    _type: Problem.base + "storage", title: "Storage unavailable", status: 503,
                    detail: storage.description)
            }
        case let invalid as RFC3339Transcoder.InvalidInstant where invalid.outOfRange:
            // Well-formed, but outside what Couloir records: a rule, not a syntax error.
            let names = queryParameters(of: error.request, carrying: invalid.text)
            return Problem.invalid(names.map { FieldIssue($0, invalid.description) })
        case let invalid as RFC3339Transcoder.InvalidInstant:
            let names = queryParameters(of: error.request, carrying: invalid.text)
            return Problem.badRequest(
                detail: "\(names.first.map { "Query parameter '\($0)': " } ?? "")\(invalid)",
                invalid: names.map { FieldIssue($0, invalid.description) })
        case let core as CoreError:
            switch core {
            case .hidden(let kind, let id):
                return Problem.notFound(kind, id)
            case .forbidden, .forbiddenAction, .notCountingAt:
                return .init(
                    _type: Problem.base + "forbidden", title: "Forbidden", status: 403, detail: core.description)
            case .versionRequired:
                return Problem.ifMatchRequired
            case .stale(let kind, let current):
                return Problem.stale(kind, current: current)
            }
        case let unauthenticated as Unauthenticated:
            return Problem.unauthenticated(unauthenticated.description)
        case let bad as BadParameter:
            return Problem.badRequest(detail: bad.description, invalid: [FieldIssue(bad.name, bad.reason)])
        case let decoding as DecodingError:
            let (pointer, reason) = Self.describe(decoding)
            if [.get, .head].contains(error.request.method),
                let names = queryParameters(of: error.request, failing: decoding, Self.rawDescription(of: decoding))
            {
                return Problem.badRequest(
                    detail: "Query parameter '\(names.joined(separator: "', '"))': \(reason)",
                    invalid: names.map { FieldIssue($0, reason) })
            }
            if pointer == "/" {
                return Problem.badRequest(detail: "The body is not valid JSON: \(reason)", invalid: [])
            }
            return Problem.invalid([FieldIssue(pointer, reason)])
        default:
            let status = error.httpStatus.code
            if status >= 500 {
                return .init(_type: Problem.base + "internal", title: "Internal error", status: status)
            }
            return .init(
                _type: "about:blank", title: error.httpStatus.reasonPhrase, status: status,
                detail: error.causeDescription)
        }
    }

    static func response(for problem: Components.Schemas.Problem) -> (HTTPResponse, HTTPBody?) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(problem)) ?? Data()
        var response = HTTPResponse(status: .init(code: problem.status))
        response.headerFields[.contentType] = "application/problem+json"
        if problem.status == 401 { response.headerFields[.wwwAuthenticate] = API.bearerChallenge }
        return (response, HTTPBody(data))
    }

    /// The JSON pointer of the field a decoding error is about, and why.
    private static func describe(_ error: DecodingError) -> (pointer: String, reason: String) {
        switch error {
        case .dataCorrupted(let context):
            let reason =
                if context.debugDescription.hasPrefix("Additional properties are disabled") {
                    "is not a field of this record"
                } else if context.debugDescription.hasPrefix("Cannot initialize") {
                    "is not one of the values allowed here (the API document lists them)"
                } else if context.underlyingError is RFC3339Transcoder.InvalidInstant {
                    "\(context.underlyingError!)"
                } else {
                    "is not well-formed"
                }
            return (pointer(context.codingPath), reason)
        case .typeMismatch(let type, let context):
            return (pointer(context.codingPath), Self.expected(type))
        case .valueNotFound(_, let context):
            return (pointer(context.codingPath), "must not be null")
        case .keyNotFound(let key, let context):
            return (pointer(context.codingPath + [key]), "is required")
        @unknown default:
            return ("/", "\(error)")
        }
    }

    /// The decoder's own words, which quote the value at fault: to find which query
    /// parameter carried it, never to show.
    private static func rawDescription(of error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            context.debugDescription
        @unknown default: ""
        }
    }

    /// What a value of `type` is, in words a client reads: "must be a number".
    private static func expected(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.hasPrefix("Int") || name.hasPrefix("UInt") { return "must be a whole number" }
        if name == "Double" || name == "Float" || name == "Decimal" { return "must be a number" }
        if name == "String" || name.hasPrefix("Substring") { return "must be text" }
        if name == "Bool" { return "must be true or false" }
        if name.hasPrefix("Array") || name.contains("Unkeyed") { return "must be a list" }
        if name.hasPrefix("Dictionary") || name.contains("Keyed") { return "must be an object" }
        return "has the wrong type"
    }

    private static func pointer(_ path: [any CodingKey]) -> String {
        "/"
            + path.map {
                ($0.intValue.map(String.init) ?? $0.stringValue)
                    .replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }.joined(separator: "/")
    }
}
