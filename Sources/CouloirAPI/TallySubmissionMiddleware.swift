import CouloirDomain
import CouloirStorage
import Foundation
import HTTPTypes
import Hummingbird
// The converter the generated server in this module writes its answers with.
@_spi(Generated) import OpenAPIRuntime

/// Takes tallies (`POST /api/v1/operations/{id}/tallies` and `…/tallies/batch`) past the
/// generated server when the body reads as a tally or a batch at once: the same handler
/// answers, through the same core, and the answer is written with the bytes the
/// generated server writes. Tallies are the requests that are large (a batch) or
/// frequent (single submissions); decoding a batch through the generated types was the
/// largest cost of its request (29% of the server's CPU in a profiled ingest run), and
/// reading and writing JSON through the runtime's coders a tenth of a single
/// submission's.
///
/// Whatever it does not take whole goes on, body and all, to the generated server,
/// which answers it as before: a body of another type, one that is not strict JSON, or
/// one `TallyBatchReader` declines. What it takes, it answers: stored, replayed, a
/// conflict, or the problem document of any error the handler throws (the generated
/// server's own, `ProblemMiddleware`), so one request runs the core once.
struct TallySubmissionMiddleware<Context: RequestContext, Store: Repository>: RouterMiddleware {
    let handler: APIHandler<Store>
    /// The generated server's own converter, for what the compact encoder declines.
    let converter: Converter
    private let encoder = CompactJSONEncoder()

    init(handler: APIHandler<Store>, configuration: Configuration) {
        self.handler = handler
        converter = Converter(configuration: configuration)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, let path = OperationPath(request.uri.path),
            path.rest == "/tallies" || path.rest == "/tallies/batch",
            request.uri.query == nil, request.headers[.contentType] == "application/json",
            request.headers[.contentEncoding] == nil
        else { return try await next(request, context) }
        let buffer = try await request.body.collect(upTo: StrictBodyMiddleware.maximumBytes)
        var request = request
        request.body = RequestBody(buffer: buffer)
        guard let document = try? StrictJSON.parse(Array(buffer.readableBytesView)) else {
            return try await next(request, context)
        }
        // Once the handler is called, its answer is written here, whatever it is: passing
        // the request on would run the core a second time.
        do {
            if path.rest == "/tallies", let tally = TallyBatchReader.tally(in: document) {
                let input = Operations.SubmitTally.Input(path: .init(operationId: path.operationID), body: .json(tally))
                switch try await handler.submitTally(input) {
                case .created(let created):
                    if case .json(let body) = created.body { return try await response(.created, body) }
                case .ok(let ok):
                    if case .json(let body) = ok.body { return try await response(.ok, body) }
                case .conflict(let conflict):
                    if case .applicationProblemJson(let body) = conflict.body {
                        return try await response(
                            .conflict, body, contentType: "application/problem+json; charset=utf-8")
                    }
                default:
                    break
                }
                throw UnexpectedAnswer(operation: "submitTally")
            } else if path.rest == "/tallies/batch", let batch = TallyBatchReader.batch(in: document) {
                let input = Operations.SubmitTallies.Input(
                    path: .init(operationId: path.operationID), body: .json(batch))
                if case .ok(let ok) = try await handler.submitTallies(input), case .json(let body) = ok.body {
                    return try await response(.ok, body)
                }
                throw UnexpectedAnswer(operation: "submitTallies")
            }
        } catch let error where !(error is UnexpectedAnswer) {
            return try await Self.problemResponse(for: error, request: request)
        }
        return try await next(request, context)
    }

    /// An output the handler never gives for these operations.
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let operation: String
        var description: String { "\(operation) gave an answer the fast path does not write" }
    }

    /// The problem document the generated server would have answered `error` with; a
    /// server's fault is thrown on, for the outermost middleware to log and answer.
    static func problemResponse(for error: any Error, request: Request) async throws -> Response {
        let wrapped = ServerError(
            operationID: "submitTally", request: request.head, requestBody: nil, requestMetadata: .init(),
            causeDescription: "\(error)", underlyingError: error)
        let problem = ProblemMiddleware.problem(for: wrapped)
        guard problem.status < 500 else { throw error }
        let (head, body) = ProblemMiddleware.response(for: problem)
        var bytes: [UInt8] = []
        if let body { bytes = try await [UInt8](collecting: body, upTo: .max) }
        return Response(
            status: head.status, headers: head.headerFields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func response(
        _ status: HTTPResponse.Status, _ body: some Encodable & Sendable, contentType: String = JSONAnswer.contentType
    ) async throws -> Response {
        if let compact = try? encoder.encode(body) {
            return JSONAnswer.response(status, compact, contentType: contentType)
        }
        var headers = HTTPFields()
        let encoded = try converter.setResponseBodyAsJSON(body, headerFields: &headers, contentType: contentType)
        return JSONAnswer.response(status, try await [UInt8](collecting: encoded, upTo: .max), contentType: contentType)
    }
}
