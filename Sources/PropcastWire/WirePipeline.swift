import NIOCore
import NIOExtras
import PropcastTLS

/// Installs Propcast's channel pipeline: TLS → frame decoder / length prepender →
/// envelope codec → idle watchdog (``IdleTimeoutHandler``). The caller wraps the channel
/// in a `NIOAsyncChannel` of ``Envelope``s afterwards.
public enum WirePipeline {
    /// Adds the handlers synchronously; must run on the channel's event loop.
    public static func configure(_ channel: Channel, tls: TLSHandler, configuration: WireConfiguration) throws {
        let operations = channel.pipeline.syncOperations
        try operations.addHandler(tls)
        try operations.addHandler(ByteToMessageHandler(BoundedFrameDecoder(maxFrameBytes: configuration.maxFrameBytes)))
        try operations.addHandler(LengthFieldPrepender(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big))
        try operations.addHandler(EnvelopeDecoder())
        try operations.addHandler(EnvelopeEncoder(maxFrameBytes: configuration.maxFrameBytes))
        try operations.addHandler(IdleTimeoutHandler(timeout: configuration.idleTimeout))
    }
}
