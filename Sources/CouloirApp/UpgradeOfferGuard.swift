import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Lets a connection go on in HTTP/1.1 after a request that offered to upgrade it
/// (`Upgrade: h2c` with `Connection: Upgrade`, as Java's `HttpClient`, `curl --http2` and
/// some proxies send on cleartext). Couloir speaks no other protocol, so the offer is
/// ignored and the request answered, as RFC 9113 §3.1 asks; but NIO's request decoder
/// stops reading a connection after such a request, expecting an upgrade handler to
/// take it over, and the next request on it would wait in vain until the connection
/// timed out (10 s, then lost).
///
/// Once the answer to such a request has been written, this replaces the stopped
/// decoder and its encoder with a new pair. A client that sent its next request before
/// that answer (pipelining, which no client offering h2c does) loses it to the old
/// decoder; that is all this cannot mend.
final class UpgradeOfferGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: NIOHTTPDecoderLimitConfiguration
    /// Whether the request being answered offered an upgrade.
    private var offered = false

    init(limits: NIOHTTPDecoderLimitConfiguration = .init()) {
        self.limits = limits
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), Self.offersUpgrade(head) { offered = true }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard offered, case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        offered = false
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.assumeIsolated().whenSuccess { [limits] in
            Self.renewDecoder(of: context.pipeline, limits: limits)
        }
        context.write(data, promise: written)
    }

    /// Whether NIO's decoder reads `head` as an upgrade: an `Upgrade` header, and
    /// `Connection` naming it.
    static func offersUpgrade(_ head: HTTPRequest) -> Bool {
        guard head.headerFields[.upgrade] != nil else { return false }
        return head.headerFields[values: .connection].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "upgrade" }
        }
    }

    /// The stopped decoder and its encoder, replaced by a new pair in the same place.
    private static func renewDecoder(of pipeline: ChannelPipeline, limits: NIOHTTPDecoderLimitConfiguration) {
        let operations = pipeline.syncOperations
        do {
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let encoder = try operations.handler(type: HTTPResponseEncoder.self)
            operations.removeHandler(decoder, promise: nil)
            operations.removeHandler(encoder, promise: nil)
            try operations.configureHTTPServerPipeline(
                position: .first, withPipeliningAssistance: false, withErrorHandling: false,
                withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits)
        } catch {
            // The connection is closing already: nothing to renew.
        }
    }
}
