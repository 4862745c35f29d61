import CouloirDomain
import CouloirStorage
import Foundation
import HTTPTypes
import Hummingbird
// The converter the generated server in this module writes its answers with.
@_spi(Generated) import OpenAPIRuntime

/// Takes a batch of tallies (`POST /api/v1/operations/{id}/tallies/batch`) past the
/// generated server when its body reads as a batch at once: the same handler answers it,
/// through the same core, and its answer is written as the generated server writes it.
/// The batch is the one request whose body is large and frequent, and decoding it
/// through the generated types was the largest cost of its request (29% of the server's
/// CPU in a profiled ingest run).
///
/// Whatever it does not take whole goes on, body and all, to the generated server,
/// which answers it as before: a body of another type, one that is not strict JSON, one
/// `TallyBatchReader` declines, and any error the handler throws (a tally batch is one
/// transaction, and a tally stored twice is a replay, so answering it again stores
/// nothing twice).
struct TallyBatchMiddleware<Context: RequestContext, Store: Repository>: RouterMiddleware {
    let handler: APIHandler<Store>
    /// The generated server's own converter, so that the answer is written as it writes it.
    let converter: Converter

    init(handler: APIHandler<Store>, configuration: Configuration) {
        self.handler = handler
        converter = Converter(configuration: configuration)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, let path = OperationPath(request.uri.path), path.rest == "/tallies/batch",
            request.uri.query == nil, request.headers[.contentType] == "application/json",
            request.headers[.contentEncoding] == nil
        else { return try await next(request, context) }
        let buffer = try await request.body.collect(upTo: StrictBodyMiddleware.maximumBytes)
        var request = request
        request.body = RequestBody(buffer: buffer)
        var headers = HTTPFields()
        guard let document = try? StrictJSON.parse(Array(buffer.readableBytesView)),
            let batch = TallyBatchReader.batch(in: document),
            let answer = try? await handler.submitTallies(
                Operations.SubmitTallies.Input(path: .init(operationId: path.operationID), body: .json(batch))),
            case .ok(let ok) = answer, case .json(let result) = ok.body,
            let body = try? converter.setResponseBodyAsJSON(
                result, headerFields: &headers, contentType: "application/json; charset=utf-8"),
            let bytes = try? await [UInt8](collecting: body, upTo: .max)
        else { return try await next(request, context) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
