import HTTPTypes
import Hummingbird

/// An answer written past the generated server, with the headers it gives a JSON body.
enum JSONAnswer {
    static let contentType = "application/json; charset=utf-8"

    static func response(
        _ status: HTTPResponse.Status, _ bytes: [UInt8], eTag: String? = nil, contentType: String = contentType
    ) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let eTag { headers[.eTag] = eTag }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
