public import CouloirCore
public import CouloirStorage
public import Foundation
public import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// The JSON API, mounted under `/api/v1`.
public enum API {
    /// What a 401 answer asks for, in `WWW-Authenticate` (RFC 6750).
    public static let bearerChallenge = #"Bearer realm="couloir""#

    /// Registers every operation of `openapi.yaml` on `router`.
    public static func register<Context: RequestContext>(
        on router: Router<Context>,
        store: some Repository,
        now: @escaping @Sendable () -> Date,
        cursors: CursorSigner
    ) throws {
        let handler = APIHandler(core: Core(store: store, now: now), cursors: cursors)
        router.add(middleware: TallySubmissionMiddleware<Context, _>(handler: handler, configuration: configuration))
        router.add(middleware: PlanReadMiddleware<Context, _>(handler: handler))
        try handler.registerHandlers(
            on: router, serverURL: URL(string: "/api/v1")!, configuration: configuration,
            middlewares: [
                QueryMiddleware(), ProblemMiddleware(), AcceptMiddleware(), StrictBodyMiddleware(),
                VerbatimHeadersMiddleware(),
            ])
    }

    /// How the generated server reads and writes: instants as RFC 3339, compact JSON with
    /// its members sorted so that a record always reads as the same bytes. (The runtime's
    /// default also indents, which made writing a corridor list cost more than everything
    /// else a read does, for bytes no one reads.)
    static let configuration = Configuration(
        dateTranscoder: RFC3339Transcoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    /// The paths and methods `register(on:store:now:)` declares.
    public static func routes(
        store: some Repository,
        now: @escaping @Sendable () -> Date
    ) throws -> RouteTable {
        let recorder = RecordingTransport()
        try APIHandler(core: Core(store: store, now: now)).registerHandlers(
            on: recorder, serverURL: URL(string: "/api/v1")!)
        return RouteTable(registrations: recorder.registrations)
    }

    /// What went wrong under an error the API's runtime wrapped, without the request it
    /// wraps too: that carries the request's headers, credentials included, which must
    /// never reach a log.
    public static func cause(of error: any Error) -> any Error {
        var error = error
        while let wrapped = error as? ServerError { error = wrapped.underlyingError }
        return error
    }

    /// The API document, as served at `/api/openapi.yaml`.
    public static func document() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }
}
