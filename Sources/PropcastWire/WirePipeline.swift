import NIOCore
import NIOExtras
import PropcastTLS

/// Installs Propcast's channel pipeline: TLS → frame decoder / length prepender →
/// envelope codec → idle watchdog. The caller wraps the channel in a `NIOAsyncChannel`
/// of ``Envelope``s afterwards.
public enum WirePipeline {
    /// Adds the handlers synchronously; must run on the channel's event loop.
    public static func configure(_ channel: Channel, tls: TLSHandler, configuration: WireConfiguration) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(tls)
        try operations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: configuration.maxFrameBytes)))
        try operations.addHandler(LengthFieldPrepender(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big))
        try operations.addHandler(EnvelopeDecoder())
        try operations.addHandler(EnvelopeEncoder(maxFrameBytes: configuration.maxFrameBytes))
        try operations.addHandler(IdleStateHandler(readTimeout: TimeAmount(configuration.idleTimeout)))
        try operations.addHandler(IdleTimeoutReporter(timeout: configuration.idleTimeout))
    }
}

/// Turns `IdleStateHandler`'s read-idle event into a ``WireError/Code/timedOut`` error, so
/// the connection's owner sees why the session ends.
final class IdleTimeoutReporter: ChannelInboundHandler {
    typealias InboundIn = Envelope
    typealias InboundOut = Envelope

    private let timeout: Duration

    init(timeout: Duration) {
        self.timeout = timeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(WireError(.timedOut,
                "no frame from the peer for \(timeout.wholeMilliseconds) ms (heartbeat missed)"))
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
