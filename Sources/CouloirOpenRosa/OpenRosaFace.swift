public import CouloirCore
public import CouloirDomain
public import CouloirStorage
import Foundation
import HTTPTypes
public import Hummingbird

/// How a request to the OpenRosa face says who sends it.
public enum OpenRosaCredentials: Sendable {
    /// A device token inside the server URL, as ODK Central's app users have it.
    case token(String)
    /// A user's login and password, by HTTP Basic (over TLS in production).
    case basic(login: String, password: String, address: String)
}

/// Thrown by the authentication of a Basic sign-in that must wait: too many failures
/// from its address or against its account.
public struct OpenRosaThrottled: Error, Sendable {
    /// Seconds.
    public let retryAfter: Double

    public init(retryAfter: Double) {
        self.retryAfter = retryAfter
    }
}

/// ODK Collect and KoboCollect's face: the OpenRosa Form List API and Form Submission
/// API. A device's server URL is `…/openrosa/key/<token>`; a user's is `…/openrosa`,
/// answered with a Basic challenge. Every answer carries `X-OpenRosa-Version: 1.0`;
/// every refusal is an `OpenRosaResponse` the app shows, never JSON.
public struct OpenRosaFace<Store: Repository>: Sendable {
    public typealias Authenticate = @Sendable (OpenRosaCredentials) async throws -> Principal?

    let core: Core<Store>
    let authenticate: Authenticate
    /// The server's address as phones reach it (`https://couloir.example.org`), which
    /// the form list's download links start with: never the request's `Host`, which
    /// the client writes, in links that carry the device's token. Nil until known.
    let publicURL: @Sendable () -> String?

    /// The largest submission read, announced by `X-OpenRosa-Accept-Content-Length`: a
    /// tally's instance is a few kilobytes and the form has no attachments.
    public static var maximumSubmissionBytes: Int { 1 << 20 }
    public static var pathPrefix: String { "/openrosa" }
    /// The most parts a submission may have: its instance, and attachments the form does
    /// not ask for.
    static var maximumParts: Int { 16 }
    /// The most of a refusal's issues its message lists.
    static var issuesShown: Int { 10 }

    public init(
        core: Core<Store>, publicURL: @escaping @Sendable () -> String?, authenticate: @escaping Authenticate
    ) {
        self.core = core
        self.publicURL = publicURL
        self.authenticate = authenticate
    }

    public func register<Context: RemoteAddressRequestContext>(on router: Router<Context>) {
        for prefix in ["/openrosa/key/:secret", "/openrosa"] {
            router.get("\(prefix)/formList") { request, context in
                try await answer(request, context) { principal in try await formList(request, context, principal) }
            }
            router.get("\(prefix)/forms/:operation/form.xml") { request, context in
                try await answer(request, context) { principal in try await form(context, principal) }
            }
            router.head("\(prefix)/submission") { request, context in
                try await answer(request, context) { _ in
                    var headers = Self.headers
                    headers[.openRosaAcceptContentLength] = "\(Self.maximumSubmissionBytes)"
                    return Response(status: .noContent, headers: headers)
                }
            }
            router.post("\(prefix)/submission") { request, context in
                try await answer(request, context) { principal in try await submit(request, principal) }
            }
        }
    }

    // MARK: Answers

    /// Authenticates the request, then answers it with `body`; any refusal is an
    /// `OpenRosaResponse`.
    private func answer<Context: RemoteAddressRequestContext>(
        _ request: Request, _ context: Context, _ body: (Principal) async throws -> Response
    ) async throws -> Response {
        let principal: Principal?
        let secret = context.parameters.get("secret")
        if let secret {
            principal = try await authenticate(.token(secret))
            guard let principal else {
                return Self.refusal(
                    .forbidden, "This device's access token is unknown or revoked: ask your coordinator for a new one.")
            }
            return try await run(body, principal, context)
        }
        guard let (login, password) = Self.basicCredentials(request.headers[.authorization]) else {
            var response = Self.refusal(.unauthorized, "Sign in with your Couloir login and password.")
            response.headers[.wwwAuthenticate] = #"Basic realm="Couloir", charset="UTF-8""#
            return response
        }
        do {
            principal = try await authenticate(
                .basic(login: login, password: password, address: context.remoteAddress?.ipAddress ?? "unknown"))
        } catch let throttled as OpenRosaThrottled {
            var response = Self.refusal(
                .tooManyRequests, "Too many sign-ins failed: wait a little, then send again.")
            response.headers[.retryAfter] = String(Int(throttled.retryAfter.rounded(.up)))
            return response
        }
        guard let principal else {
            var response = Self.refusal(.unauthorized, "The login or password is wrong, or the account is disabled.")
            response.headers[.wwwAuthenticate] = #"Basic realm="Couloir", charset="UTF-8""#
            return response
        }
        return try await run(body, principal, context)
    }

    private func run<Context: RequestContext>(
        _ body: (Principal) async throws -> Response, _ principal: Principal, _ context: Context
    ) async throws -> Response {
        do {
            return try await body(principal)
        } catch let error as CoreError {
            switch error {
            case .hidden: return Self.refusal(.notFound, "Nothing here for this device. Download the forms again.")
            case .notCountingAt:
                return Self.refusal(.forbidden, "This device does not count at that checkpoint.")
            default: return Self.refusal(.forbidden, "This device may not do this.")
            }
        } catch let error as DomainError {
            return Self.refusal(.unprocessableContent, Self.describe(error))
        } catch let error as StorageError {
            switch error {
            case .notFound:
                return Self.refusal(.notFound, "Nothing here for this device. Download the forms again.")
            case .duplicate, .versionMismatch:
                return Self.refusal(.conflict, "This was stored before with other content; nothing was stored.")
            case .invalidCursor:
                return Self.refusal(.badRequest, "This request is not one the app makes.")
            case .databaseFromNewerVersion, .migrationsPending, .corrupt, .stopping, .full:
                // The server's fault, not the phone's: logged with the request's id, which
                // the answer gives; the phone keeps the form and sends it again later.
                context.logger.error("request.failed", metadata: ["error": "\(error)"])
                var response = Self.refusal(
                    .serviceUnavailable,
                    "The server could not store this now; the form is kept on the phone: send it again later "
                        + "(request \(context.id)).")
                response.headers[.retryAfter] = "30"
                return response
            }
        }
    }

    private func formList<Context: RequestContext>(_ request: Request, _ context: Context, _ principal: Principal)
        async throws -> Response
    {
        let base = Self.baseURL(publicURL() ?? "http://localhost", secret: context.parameters.get("secret"))
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<xforms xmlns="http://openrosa.org/xforms/xformsList">"# + "\n"
        for places in try await core.countingPlaces(as: principal) {
            let form = try TallyForm(places: places)
            xml += "  <xform>\n"
            xml += "    <formID>\(form.formID)</formID>\n"
            xml += "    <name>\(XMLText.escaped(form.name))</name>\n"
            xml += "    <version>\(form.version)</version>\n"
            xml += "    <hash>\(form.hash)</hash>\n"
            xml +=
                "    <downloadUrl>\(XMLText.escaped(base + "/forms/\(places.operation.id)/form.xml"))</downloadUrl>\n"
            xml += "  </xform>\n"
        }
        xml += "</xforms>\n"
        return Self.xml(.ok, Data(xml.utf8))
    }

    private func form<Context: RequestContext>(_ context: Context, _ principal: Principal) async throws -> Response {
        let operation = context.parameters.get("operation").flatMap(EvacuationOperation.ID.init)
        guard let places = try await core.countingPlaces(as: principal).first(where: { $0.operation.id == operation })
        else {
            return Self.refusal(.notFound, "This device counts in no such operation. Download the forms again.")
        }
        return Self.xml(.ok, try TallyForm(places: places).xml)
    }

    private func submit(_ request: Request, _ principal: Principal) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > Self.maximumSubmissionBytes {
            return Self.tooLarge
        }
        let contentType = request.headers[.contentType] ?? ""
        guard let boundary = Multipart.boundary(ofContentType: contentType) else {
            return Self.refusal(.unsupportedMediaType, "A submission is sent as multipart/form-data.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maximumSubmissionBytes)
        } catch {
            return Self.tooLarge
        }
        guard let multipart = Multipart(body: Data(buffer: buffer), boundary: boundary, maximumParts: Self.maximumParts)
        else {
            return Self.refusal(
                .badRequest, "The submission is not a multipart body of at most \(Self.maximumParts) parts.")
        }
        guard let file = multipart.part(named: "xml_submission_file") else {
            return Self.refusal(.badRequest, "The submission has no xml_submission_file part.")
        }
        let instance: TallyInstance
        do {
            instance = try TallyInstance(xml: file.body, source: Self.source)
        } catch .unreadable(let reason) {
            return Self.refusal(.badRequest, reason)
        } catch .instanceID {
            return Self.refusal(.badRequest, "The submission has no meta/instanceID of the form uuid:<UUID>.")
        } catch .invalid(let issues) {
            return Self.refusal(.unprocessableContent, Self.describe(.invalid(issues)))
        }
        let tally = instance.tally
        switch try await core.submit(tally, as: principal) {
        case .created:
            return Self.xml(
                .created,
                OpenRosaResponse(.success, "Tally received: \(tally.people) people. Thank you.").xml)
        case .replayed:
            return Self.xml(
                .created,
                OpenRosaResponse(.success, "This tally was already received; it is counted once.").xml)
        case .conflict:
            return Self.refusal(
                .conflict,
                "Another tally was already received with this instance ID (uuid:\(tally.id)); this one was not stored. "
                    + "Make a new tally, or a correction of the one sent.")
        }
    }

    // MARK: Parts

    static var source: Source { Source(name: "Field monitoring (ODK Collect)", kind: .monitor) }

    static var headers: HTTPFields {
        var headers = HTTPFields()
        headers[.openRosaVersion] = "1.0"
        headers[.contentType] = "text/xml; charset=utf-8"
        // What answers a device carries its token in the URL; never kept on the way.
        headers[.cacheControl] = "no-store"
        return headers
    }

    static func xml(_ status: HTTPResponse.Status, _ body: some StringProtocol) -> Response {
        xml(status, Data(body.utf8))
    }

    static func xml(_ status: HTTPResponse.Status, _ body: Data) -> Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        xml(status, OpenRosaResponse(.error, message).xml)
    }

    static var tooLarge: Response {
        refusal(.contentTooLarge, "The submission is over \(maximumSubmissionBytes) bytes; a tally is far smaller.")
    }

    /// The domain's issues in the form's words: `/counts/0/people` is the first group's count.
    static func describe(_ error: DomainError) -> String {
        guard case .invalid(let issues) = error else { return "\(error)" }
        let names: [(String, String)] = [
            ("/checkpointId", "checkpoint"), ("/interval/start", "start"), ("/interval/end", "end"),
            ("/interval", "interval"), ("/direction", "direction"), ("/vehicles/", "vehicles "),
            ("/supersedes", "the tally corrected"), ("/operationId", "form"),
        ]
        let shown = issues.prefix(issuesShown)
        let more = issues.count > shown.count ? "; and \(issues.count - shown.count) more problems" : ""
        return "The tally was not stored: "
            + shown.map { issue in
                var place = issue.pointer
                if place.hasPrefix("/counts/"), let index = Int(place.split(separator: "/")[1]) {
                    place =
                        "group \(index + 1)"
                        + place.dropFirst("/counts/\(index)".count)
                        .replacingOccurrences(of: "/", with: " ")
                }
                for (pointer, name) in names { place = place.replacingOccurrences(of: pointer, with: name) }
                // "no checkpoint … in this operation" names its field already.
                return place.isEmpty || issue.reason.hasPrefix("no ") ? issue.reason : "\(place) \(issue.reason)"
            }.joined(separator: "; ") + more + "."
    }

    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.count <= 1024 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1])), let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The server URL the app was given, from the server's public address: the form
    /// list's download links must be absolute.
    static func baseURL(_ publicURL: String, secret: String?) -> String {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/openrosa" + (secret.map { "/key/\($0)" } ?? "")
    }
}

extension HTTPField.Name {
    static let openRosaVersion = Self("X-OpenRosa-Version")!
    static let openRosaAcceptContentLength = Self("X-OpenRosa-Accept-Content-Length")!
}
