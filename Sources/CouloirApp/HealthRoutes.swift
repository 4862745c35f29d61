import CouloirSQLStorage
import CouloirStorage
import Foundation
import Hummingbird

/// `GET /healthz`: 200 once storage answers and its schema is this build's, else 503.
enum HealthRoutes {
    struct Health: ResponseEncodable {
        let status: String
        let schemaVersion: Int
    }

    static func add(to router: Router<some RequestContext>, migrator: Migrator) {
        router.get("/healthz") { _, context -> Response in
            do {
                try await migrator.checkUpToDate()
                return try JSONEncoder().encodeAsResponse(
                    Health(status: "ready", schemaVersion: migrator.latestVersion))
            } catch {
                context.logger.warning("health.not-ready", metadata: ["error": "\(error)"])
                return ProblemResponse.make(
                    status: .serviceUnavailable, title: "Not ready", detail: "\(error)",
                    type: "urn:couloir:problem:not-ready")
            }
        }
    }
}

extension JSONEncoder {
    func encodeAsResponse(_ value: some Encodable) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }
}
