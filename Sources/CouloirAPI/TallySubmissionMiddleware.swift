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
/// which answers it as before: a body of another type, one that is not strict JSON, one
/// `TallyBatchReader` declines, a conflict, and any error the handler throws. Nothing is
/// stored twice by that: a batch is one transaction, a tally stored twice is a replay,
/// and a conflict stores nothing. Once the core has answered a tally stored, the answer
/// is written here whatever happens (by the runtime's encoder if the compact one
/// declines), never passed on.
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
        if path.rest == "/tallies", let tally = TallyBatchReader.tally(in: document) {
            let input = Operations.SubmitTally.Input(path: .init(operationId: path.operationID), body: .json(tally))
            switch try? await handler.submitTally(input) {
            case .created(let created):
                if case .json(let body) = created.body { return try await response(.created, body) }
            case .ok(let ok):
                if case .json(let body) = ok.body { return try await response(.ok, body) }
            default:
                break
            }
        } else if path.rest == "/tallies/batch", let batch = TallyBatchReader.batch(in: document) {
            let input = Operations.SubmitTallies.Input(path: .init(operationId: path.operationID), body: .json(batch))
            if case .ok(let ok)? = try? await handler.submitTallies(input), case .json(let body) = ok.body {
                return try await response(.ok, body)
            }
        }
        return try await next(request, context)
    }

    private func response(_ status: HTTPResponse.Status, _ body: some Encodable & Sendable) async throws -> Response {
        if let compact = try? encoder.encode(body) { return JSONAnswer.response(status, compact) }
        var headers = HTTPFields()
        let encoded = try converter.setResponseBodyAsJSON(
            body, headerFields: &headers, contentType: JSONAnswer.contentType)
        return JSONAnswer.response(status, try await [UInt8](collecting: encoded, upTo: .max))
    }
}
