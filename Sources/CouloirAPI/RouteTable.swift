public import HTTPTypes
import OpenAPIRuntime

/// The paths and methods the API document declares, as the generated server registers
/// them, so that a request for a known path with another method can be answered 405.
public struct RouteTable: Sendable {
    struct Route: Sendable {
        /// Path segments; `nil` stands for a `{parameter}`.
        let segments: [String?]
        let method: HTTPRequest.Method
    }

    let routes: [Route]

    /// `registrations` as the generated server makes them: full paths, server prefix included.
    init(registrations: [(HTTPRequest.Method, String)]) {
        routes = registrations.map { method, path in
            Route(
                segments: Self.split(path).map { $0.hasPrefix("{") && $0.hasSuffix("}") ? nil : $0 },
                method: method)
        }
    }

    /// The methods declared for `path`, empty when the API has no such path.
    public func methods(for path: String) -> [HTTPRequest.Method] {
        let rest = Self.split(path)
        return routes.filter { route in
            route.segments.count == rest.count
                && zip(route.segments, rest).allSatisfy { pattern, segment in pattern == nil || pattern == segment }
        }.map(\.method)
    }

    private static func split(_ path: String) -> [String] {
        path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/").map(String.init) } ?? []
    }
}

/// Registers nothing; notes what the generated server would register.
final class RecordingTransport: ServerTransport {
    var registrations: [(HTTPRequest.Method, String)] = []

    func register(
        _ handler:
            @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        registrations.append((method, path))
    }
}
