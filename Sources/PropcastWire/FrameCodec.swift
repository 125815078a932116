import NIOCore
import NIOExtras
import SwiftProtobuf

/// Splits the byte stream into frames (u32 big-endian length + payload) with NIOExtras'
/// `LengthFieldBasedFrameDecoder`, rejecting a frame as soon as its header announces more
/// than `maxFrameBytes` instead of buffering it.
public struct BoundedFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    private let frames = LengthFieldBasedFrameDecoder(lengthFieldBitLength: .fourBytes, lengthFieldEndianness: .big)
    private let maxFrameBytes: Int

    /// - Parameter maxFrameBytes: the largest payload accepted.
    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let announced = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return .needMoreData
        }
        guard Int(announced) <= maxFrameBytes else {
            throw WireError(.frameTooLarge, "frame of \(announced) bytes exceeds the limit of \(maxFrameBytes) bytes")
        }
        // Hand the library decoder whole frames only, so it is always at a frame boundary
        // when the next length is peeked above.
        guard buffer.readableBytes >= 4 + Int(announced) else { return .needMoreData }
        return try frames.decode(context: context, buffer: &buffer)
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// Decodes one frame payload into an ``Envelope``; bytes that are not an Envelope end the
/// connection with ``WireError/Code/malformedEnvelope``.
public final class EnvelopeDecoder: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = Envelope

    public init() {}

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        do {
            context.fireChannelRead(wrapInboundOut(try Self.decode(frame)))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    /// Decodes a frame payload (without its length prefix).
    /// - Throws: ``WireError`` `.malformedEnvelope` naming the protobuf error.
    public static func decode(_ frame: ByteBuffer) throws -> Envelope {
        do {
            return try Envelope(serializedBytes: [UInt8](frame.readableBytesView))
        } catch {
            throw WireError(.malformedEnvelope, "frame of \(frame.readableBytes) bytes is not a valid Envelope (\(error))")
        }
    }
}

/// Encodes an outbound ``Envelope`` into a frame payload; `LengthFieldPrepender` adds the
/// length. An envelope larger than the frame limit fails its write instead of being sent.
public final class EnvelopeEncoder: ChannelOutboundHandler {
    public typealias OutboundIn = Envelope
    public typealias OutboundOut = ByteBuffer

    private let maxFrameBytes: Int

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let envelope = unwrapOutboundIn(data)
        do {
            let bytes = try EnvelopeBytes.serialize(envelope)
            guard bytes.count <= maxFrameBytes else {
                throw WireError(.frameTooLarge,
                                "outgoing \(envelope.bodyName) of \(bytes.count) bytes exceeds the \(maxFrameBytes)-byte frame limit")
            }
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
        } catch {
            // Writers above (NIOAsyncChannel) pass no promise: report the error on the
            // channel too, so the connection ends with a reason instead of silently losing
            // the frame.
            promise?.fail(error)
            context.fireErrorCaught(error)
        }
    }
}
