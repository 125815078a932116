import NIOCore
import PropcastTLS

/// An outbound user event for ``IdleTimeoutHandler``: from now on the connection may stay
/// silent for `timeout`, counted from its last inbound frame. Send it with
/// `channel.triggerUserOutboundEvent(_:promise:)` from any thread.
public struct IdleTimeoutChange: Sendable, Equatable {
    /// The new idle timeout.
    public var timeout: Duration

    /// A change to `timeout`.
    public init(_ timeout: Duration) {
        self.timeout = timeout
    }
}

/// Fires a ``WireError/Code/timedOut`` error, once, when no inbound frame arrived for the
/// idle timeout; the connection's owner then says Goodbye and closes. Unlike NIO's
/// `IdleStateHandler`, the timeout can change on an open connection
/// (``IdleTimeoutChange``): a worker adopts the heartbeat its coordinator announces.
public final class IdleTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = Envelope
    public typealias InboundOut = Envelope
    public typealias OutboundIn = Envelope
    public typealias OutboundOut = Envelope

    private var timeout: Duration
    /// When the last frame arrived (or the channel became active); nil before and after.
    private var lastFrame: NIODeadline?
    private var check: Scheduled<Void>?

    /// A watchdog giving up after `timeout` without an inbound frame.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lastFrame != nil { lastFrame = context.eventLoop.now }
        context.fireChannelRead(data)
    }

    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let change = event as? IdleTimeoutChange else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        timeout = change.timeout
        if check != nil { schedule(context: context) }
        promise?.succeed()
    }

    private func start(context: ChannelHandlerContext) {
        guard lastFrame == nil else { return }
        lastFrame = context.eventLoop.now
        schedule(context: context)
    }

    private func stop() {
        check?.cancel()
        check = nil
        lastFrame = nil
    }

    /// When the connection, silent since its last frame, is given up.
    private var deadline: NIODeadline? {
        lastFrame.map { $0 + TimeAmount(timeout) }
    }

    private func schedule(context: ChannelHandlerContext) {
        check?.cancel()
        guard let deadline else { return }
        check = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            expire(context: context)
        }
    }

    /// The deadline passed: give up unless a frame arrived meanwhile.
    private func expire(context: ChannelHandlerContext) {
        check = nil
        guard let deadline else { return }
        if context.eventLoop.now < deadline {
            schedule(context: context)
            return
        }
        context.fireErrorCaught(WireError(.timedOut,
            "no frame from the peer for \(timeout.wholeMilliseconds) ms (heartbeat missed)"))
    }
}

@available(*, unavailable)
extension IdleTimeoutHandler: Sendable {}
