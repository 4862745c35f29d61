import CouloirApp
import Foundation
import Hummingbird
import HummingbirdTesting

/// Runs `body` against the application built as `couloir demo` builds it, on a new
/// SQLite file that is removed afterwards.
func withDemo(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("couloir-demo-\(UUID()).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let config = AppConfig(port: 0, database: .sqlite(path: path), logLevel: .warning, loadDemo: true)
    let app = try await buildApplication(config: config)
    try await app.test(.router, body)
}

extension JSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        try decode(type, from: Data(buffer.readableBytesView))
    }
}

struct ProblemDocument: Decodable {
    struct InvalidParam: Decodable {
        let pointer: String
        let reason: String
    }
    let type: String
    let title: String
    let status: Int
    let detail: String?
    let invalidParams: [InvalidParam]?
}

extension TestClientProtocol {
    func json(
        _ uri: String, _ method: HTTPRequest.Method, _ body: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }
        ) { $0 }
    }
}
