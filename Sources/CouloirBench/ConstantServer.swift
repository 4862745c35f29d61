import Foundation
import Hummingbird

/// The floor of a read: a Hummingbird server on the same machine answering a constant
/// body of any size at `/constant/<bytes>`, with no authentication, no storage and no
/// encoding. A read of Couloir is measured against this route at its own body's size.
public enum ConstantServer {
    static let largest = 1 << 20

    /// Serves until stopped, printing its address as `couloir serve` does.
    public static func serve(port: Int) async throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: largest)
        let router = Router()
        router.get("/constant/:bytes") { _, context -> Response in
            let bytes = min(max(context.parameters.get("bytes", as: Int.self) ?? 0, 0), largest)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: payload.getSlice(at: 0, length: bytes)!))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                let address = "http://127.0.0.1:\(channel.localAddress?.port ?? port)\n"
                FileHandle.standardOutput.write(Data(address.utf8))
            })
        try await app.runService()
    }
}
