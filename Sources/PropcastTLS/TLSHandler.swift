import NIOCore

/// A NIO channel handler that runs mutual TLS over the system OpenSSL: inbound it turns
/// ciphertext into plaintext, outbound plaintext into ciphertext. It only moves bytes: the
/// OpenSSL work is a ``TLSSession``'s, the decisions a ``TLSConnectionStateMachine``'s.
///
/// Writes issued before the handshake completes are held and sent afterwards. Close
/// sends `close_notify`. A handshake that does not finish within the configured timeout is
/// aborted. Every failure is fired as a ``TLSError`` and closes the channel.
public final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let tls: TLSContext
    private let mode: TLSSession.Mode
    private var machine = TLSConnectionStateMachine()
    /// Created when the channel becomes active.
    private var session: TLSSession?
    private var handshakeTimeout: Scheduled<Void>?
    private var remoteDescription = "peer"

    init(context: TLSContext, mode: TLSSession.Mode) {
        self.tls = context
        self.mode = mode
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelHandshakeTimeout()
        fail(machine.handlerRemoved(), with: ChannelError.ioOnClosedChannel)
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        cancelHandshakeTimeout()
        switch machine.channelInactive() {
        case .failHandshake(let heldWrites):
            let error = TLSError(.connectionClosedDuringHandshake,
                                 "TLS handshake with \(remoteDescription): connection closed by the peer before the "
                                 + "handshake completed (the peer may have rejected our certificate)")
            fail(heldWrites, with: error)
            context.fireErrorCaught(error)
        case .failHeldWrites(let heldWrites):
            fail(heldWrites, with: ChannelError.ioOnClosedChannel)
        case .none:
            break
        }
        context.fireChannelInactive()
    }

    private func start(context: ChannelHandlerContext) {
        guard machine.channelActive() == .startHandshake else { return }
        if let address = context.channel.remoteAddress, let ip = address.ipAddress, let port = address.port {
            remoteDescription = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        do throws(TLSError) {
            session = try TLSSession(context: tls, mode: mode, remoteDescription: remoteDescription)
        } catch {
            fail(context: context, error: error)
            return
        }
        let timeout = tls.configuration.handshakeTimeout
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            fail(context: context, error: TLSError(.handshakeTimedOut,
                "TLS handshake with \(remoteDescription): no completion within \(timeout.wholeMilliseconds) ms"))
        }
        driveHandshake(context: context)
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard machine.acceptsInput, let session else { return }
        do throws(TLSError) {
            try session.feed(ciphertext: unwrapInboundIn(data))
        } catch {
            fail(context: context, error: error)
            return
        }
        if machine.isHandshaking { driveHandshake(context: context) }
        if machine.isActive { readPlaintext(context: context) }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    private func driveHandshake(context: ChannelHandlerContext) {
        guard let session else { return }
        let result = session.handshake()
        // Our next flight, or the alert explaining a failure.
        writeCiphertext(context: context, promise: nil, flush: true)
        switch result {
        case .needsMoreInput:
            return
        case .failed(let error):
            fail(context: context, error: error)
        case .completed(let peer):
            guard case .sendHeldWritesAndAnnounce(let heldWrites, let flush) = machine.handshakeCompleted() else { return }
            cancelHandshakeTimeout()
            // Older held writes go first, then the event (whose handlers may write more).
            for write in heldWrites {
                encryptAndWrite(context: context, plaintext: write.plaintext, promise: write.promise)
            }
            if flush { context.flush() }
            context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(peer))
            // The peer may have sent application data right behind its Finished message.
            readPlaintext(context: context)
        }
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        guard let session else { return }
        while machine.isActive {
            switch session.readPlaintext(allocator: context.channel.allocator) {
            case .plaintext(let plaintext):
                context.fireChannelRead(wrapInboundOut(plaintext))
            case .needsMoreInput:
                writeCiphertext(context: context, promise: nil, flush: true)
                return
            case .closedByPeer:
                context.close(promise: nil)
                return
            case .failed(let error):
                fail(context: context, error: error)
                return
            }
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch machine.write(unwrapOutboundIn(data), promise: promise) {
        case .hold:
            break
        case .encrypt(let plaintext, let promise):
            encryptAndWrite(context: context, plaintext: plaintext, promise: promise)
        case .fail(let promise):
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        if machine.flush() == .flush { context.flush() }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch machine.closeRequested() {
        case .sendCloseNotifyThenClose:
            session?.shutdown()
            // Close once close_notify (and everything queued before it) reached the socket.
            let flushed = context.eventLoop.makePromise(of: Void.self)
            writeCiphertext(context: context, promise: flushed, flush: true)
            flushed.futureResult.assumeIsolated().whenComplete { _ in
                context.close(mode: .all, promise: promise)
            }
        case .failHeldWritesAndClose(let heldWrites):
            cancelHandshakeTimeout()
            fail(heldWrites, with: ChannelError.ioOnClosedChannel)
            context.close(mode: .all, promise: promise)
        case .forwardClose:
            context.close(mode: mode, promise: promise)
        }
    }

    private func encryptAndWrite(context: ChannelHandlerContext, plaintext: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let session else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        do throws(TLSError) {
            try session.write(plaintext: plaintext)
        } catch {
            promise?.fail(error)
            fail(context: context, error: error)
            return
        }
        writeCiphertext(context: context, promise: promise, flush: false)
    }

    /// Writes everything OpenSSL produced to the socket; `promise` completes when it is sent.
    private func writeCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?, flush: Bool) {
        guard let ciphertext = session?.takeCiphertext(allocator: context.channel.allocator) else {
            promise?.succeed()
            return
        }
        context.write(wrapOutboundOut(ciphertext), promise: promise)
        if flush { context.flush() }
    }

    // MARK: Failure

    private func fail(context: ChannelHandlerContext, error: TLSError) {
        cancelHandshakeTimeout()
        guard case .failAndClose(let heldWrites) = machine.failed() else { return }
        fail(heldWrites, with: error)
        // Flush any alert OpenSSL queued so the peer learns why.
        writeCiphertext(context: context, promise: nil, flush: true)
        context.fireErrorCaught(error)
        context.close(mode: .all, promise: nil)
    }

    private func fail(_ heldWrites: [TLSConnectionStateMachine.HeldWrite], with error: any Error) {
        for write in heldWrites { write.promise?.fail(error) }
    }

    private func cancelHandshakeTimeout() {
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}
