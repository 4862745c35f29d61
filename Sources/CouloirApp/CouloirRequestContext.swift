public import Hummingbird
public import NIOCore

/// The request context of Couloir's router: Hummingbird's, with the peer's address, by
/// which sign-ins are throttled.
public struct CouloirRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address, or `unknown` (a test's channel has none).
    var address: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}
