import NIOCore
import NIOEmbedded
import PropcastWire
import Testing

/// The idle watchdog on an `EmbeddedChannel` with a virtual clock: silence for the timeout
/// is reported once, every frame restarts the count, and the timeout can change while the
/// connection is open (as a worker's does at HelloAck).
@Suite struct IdleTimeoutHandlerTests {
    func activeChannel(timeout: Duration) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: IdleTimeoutHandler(timeout: timeout))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7420)).wait()
        return channel
    }

    func frame(_ nonce: UInt64 = 1) -> Envelope {
        var ping = WirePing()
        ping.nonce = nonce
        return Envelope(.ping(ping))
    }

    /// The error the watchdog fired since the last call, if any.
    func caughtError(_ channel: EmbeddedChannel) -> WireError? {
        do {
            try channel.throwIfErrorCaught()
            return nil
        } catch let error as WireError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func silenceForTheTimeoutIsReportedOnceAsTimedOut() throws {
        let channel = try activeChannel(timeout: .seconds(6))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(5999))
        #expect(caughtError(channel) == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(caughtError(channel) == WireError(.timedOut, "no frame from the peer for 6000 ms (heartbeat missed)"))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(caughtError(channel) == nil)
    }

    @Test func everyFrameRestartsTheCountAndPassesThrough() throws {
        let channel = try activeChannel(timeout: .seconds(6))
        for nonce in 1...5 {
            channel.embeddedEventLoop.advanceTime(by: .seconds(5))
            try channel.writeInbound(frame(UInt64(nonce)))
            #expect(try channel.readInbound(as: Envelope.self) == frame(UInt64(nonce)))
        }
        #expect(caughtError(channel) == nil)
        channel.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(caughtError(channel)?.code == .timedOut)
    }

    @Test func aLongerTimeoutSetOnTheOpenConnectionCountsFromTheLastFrame() throws {
        let channel = try activeChannel(timeout: .seconds(6))
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        try channel.writeInbound(frame())  // say, the coordinator's HelloAck
        try channel.triggerUserOutboundEvent(IdleTimeoutChange(.seconds(12))).wait()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(11_999))
        #expect(caughtError(channel) == nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(caughtError(channel) == WireError(.timedOut, "no frame from the peer for 12000 ms (heartbeat missed)"))
    }

    @Test func aShorterTimeoutAlreadyExceededIsReportedAtOnce() throws {
        let channel = try activeChannel(timeout: .seconds(6))
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        try channel.triggerUserOutboundEvent(IdleTimeoutChange(.seconds(1))).wait()
        channel.embeddedEventLoop.run()
        #expect(caughtError(channel)?.code == .timedOut)
    }

    @Test func aClosedConnectionIsNeverReported() throws {
        let channel = try activeChannel(timeout: .seconds(6))
        _ = try channel.finish()
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(caughtError(channel) == nil)
    }

    @Test func otherOutboundEventsPassThrough() throws {
        struct Marker: Sendable {}
        let channel = EmbeddedChannel()
        let recorder = OutboundEventRecorder()
        try channel.pipeline.syncOperations.addHandler(recorder)
        try channel.pipeline.syncOperations.addHandler(IdleTimeoutHandler(timeout: .seconds(6)))
        try channel.triggerUserOutboundEvent(Marker()).wait()
        #expect(recorder.events == 1)
    }
}

/// Counts the outbound user events that reach it.
private final class OutboundEventRecorder: ChannelOutboundHandler {
    typealias OutboundIn = Envelope
    private(set) var events = 0

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        events += 1
        promise?.succeed()
    }
}
