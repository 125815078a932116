import COpenSSL
import NIOCore

/// A NIO channel handler that runs TLS over the system OpenSSL through a pair of memory
/// BIOs: ciphertext from the socket is written into the read BIO, OpenSSL's output is
/// drained from the write BIO into the socket. Inbound it turns ciphertext into plaintext;
/// outbound, plaintext into ciphertext.
///
/// Writes issued before the handshake completes are buffered and sent afterwards. Close
/// sends `close_notify`. A handshake that does not finish within the configured timeout is
/// aborted. Every failure is fired as a ``TLSError`` and closes the channel.
public final class TLSHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    enum Mode {
        case server
        case client(serverName: String)
    }

    private let tls: TLSContext
    private let mode: Mode
    private var state = TLSConnectionStateMachine()
    /// The OpenSSL session; it owns both BIOs. Touched only on this channel's event loop.
    private var ssl: OpaquePointer?
    private var readBIO: OpaquePointer?
    private var writeBIO: OpaquePointer?
    private var bufferedWrites: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    private var flushRequestedDuringHandshake = false
    private var handshakeTimeout: Scheduled<Void>?
    private var remoteDescription = "peer"

    private static let readChunkSize = 16 * 1024

    init(context: TLSContext, mode: Mode) {
        self.tls = context
        self.mode = mode
    }

    deinit {
        if let ssl { SSL_free(ssl) }
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        handshakeTimeout?.cancel()
        failBufferedWrites(with: ChannelError.ioOnClosedChannel)
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        handshakeTimeout?.cancel()
        if state.channelInactive() == .failHandshake {
            let error = TLSError(.connectionClosedDuringHandshake,
                                 "TLS handshake with \(remoteDescription): connection closed by the peer before the "
                                 + "handshake completed (the peer may have rejected our certificate)")
            failBufferedWrites(with: error)
            context.fireErrorCaught(error)
        }
        failBufferedWrites(with: ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    private func start(context: ChannelHandlerContext) {
        guard state.channelActive() == .startHandshake else { return }
        if let address = context.channel.remoteAddress, let ip = address.ipAddress, let port = address.port {
            remoteDescription = ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
        }
        do {
            try makeSession()
        } catch let error as TLSError {
            fail(context: context, error: error)
            return
        } catch {
            fail(context: context, error: TLSError(.handshakeFailed, "\(error)"))
            return
        }
        let timeout = tls.configuration.handshakeTimeout
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            let error = TLSError(.handshakeTimedOut,
                                 "TLS handshake with \(remoteDescription): no completion within "
                                 + "\(timeout.wholeMilliseconds) ms")
            fail(context: loopBoundContext.value, error: error)
        }
        driveHandshake(context: context)
    }

    private func makeSession() throws {
        ERR_clear_error()
        let ssl = SSL_new(tls.context)
        let readBIO = BIO_new(BIO_s_mem())
        let writeBIO = BIO_new(BIO_s_mem())
        guard let ssl, let readBIO, let writeBIO else {
            // Free whatever was created before the failure.
            if let ssl { SSL_free(ssl) }
            if let readBIO { BIO_free(readBIO) }
            if let writeBIO { BIO_free(writeBIO) }
            throw TLSError(.contextSetupFailed, "cannot create TLS session: \(TLSError.drainOpenSSLErrors())")
        }
        SSL_set_bio(ssl, readBIO, writeBIO)  // the session now owns both BIOs
        (self.ssl, self.readBIO, self.writeBIO) = (ssl, readBIO, writeBIO)
        switch mode {
        case .server:
            SSL_set_accept_state(ssl)
        case .client(let serverName):
            SSL_set_connect_state(ssl)
            try expectServerName(serverName, ssl: ssl)
        }
    }

    /// Makes OpenSSL check the server certificate's SAN against a DNS name or an IP.
    private func expectServerName(_ serverName: String, ssl: OpaquePointer) throws {
        let isIPAddress = (try? SocketAddress(ipAddress: serverName, port: 0)) != nil
        let accepted: Bool
        if isIPAddress {
            accepted = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) == 1
        } else {
            accepted = SSL_set1_host(ssl, serverName) == 1
                && propcast_SSL_set_tlsext_host_name(ssl, serverName) == 1
        }
        guard accepted else {
            throw TLSError(.contextSetupFailed, "server name '\(serverName)' is not a valid host name or IP address")
        }
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var ciphertext = unwrapInboundIn(data)
        guard state.acceptsInput, let readBIO else { return }
        while ciphertext.readableBytes > 0 {
            let written = ciphertext.withUnsafeReadableBytes { bytes in
                BIO_write(readBIO, bytes.baseAddress, Int32(min(bytes.count, Int(Int32.max))))
            }
            guard written > 0 else {
                fail(context: context, error: TLSError(.ioFailed, "TLS with \(remoteDescription): cannot buffer input"))
                return
            }
            ciphertext.moveReaderIndex(forwardBy: Int(written))
        }
        if state.state == .handshaking { driveHandshake(context: context) }
        if state.state == .active { readPlaintext(context: context) }
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    private func driveHandshake(context: ChannelHandlerContext) {
        guard let ssl else { return }
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        writePendingCiphertext(context: context, promise: nil, flush: true)
        if result == 1 {
            completeHandshake(context: context, ssl: ssl)
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return
        default:
            fail(context: context, error: handshakeFailure(ssl: ssl))
        }
    }

    private func handshakeFailure(ssl: OpaquePointer) -> TLSError {
        let verifyResult = SSL_get_verify_result(ssl)
        let openSSLErrors = TLSError.drainOpenSSLErrors(fallback: "handshake aborted")
        let prefix = "TLS handshake with \(remoteDescription) failed"
        guard verifyResult == X509_V_OK else {
            var reason = String(cString: X509_verify_cert_error_string(verifyResult))
            if verifyResult == X509_V_ERR_HOSTNAME_MISMATCH || verifyResult == X509_V_ERR_IP_ADDRESS_MISMATCH,
               case .client(let serverName) = mode {
                reason += " (the server certificate does not name '\(serverName)')"
            }
            return TLSError(.handshakeFailed, "\(prefix): peer certificate rejected: \(reason)")
        }
        return TLSError(.handshakeFailed, "\(prefix): \(openSSLErrors)")
    }

    private func completeHandshake(context: ChannelHandlerContext, ssl: OpaquePointer) {
        guard let peerCertificate = SSL_get1_peer_certificate(ssl) else {
            fail(context: context, error: TLSError(.handshakeFailed,
                                                   "TLS handshake with \(remoteDescription): peer sent no certificate"))
            return
        }
        let certificate = CertificateInfo(x509: peerCertificate)
        X509_free(peerCertificate)
        guard let role = certificate.role, tls.configuration.acceptedPeerRoles.contains(role) else {
            let found = certificate.role.map { "role '\($0)'" } ?? "no Propcast role (OU '\(certificate.organizationalUnit)')"
            let accepted = tls.configuration.acceptedPeerRoles.map(\.rawValue).sorted().joined(separator: ", ")
            fail(context: context, error: TLSError(.peerRoleRejected,
                "TLS peer \(remoteDescription) (CN '\(certificate.commonName)') has \(found); "
                + "a \(tls.configuration.role) accepts only: \(accepted)"))
            return
        }
        guard state.handshakeFinished(succeeded: true) == .notifyAndFlushBufferedWrites else { return }
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
        let peer = TLSPeer(certificate: certificate,
                           protocolVersion: String(cString: SSL_get_version(ssl)),
                           cipher: SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "?")
        // Older buffered writes go first, then the event (whose handlers may write more).
        let writes = bufferedWrites
        bufferedWrites = []
        for (plaintext, promise) in writes {
            encryptAndWrite(context: context, plaintext: plaintext, promise: promise)
        }
        if !writes.isEmpty || flushRequestedDuringHandshake { context.flush() }
        context.fireUserInboundEventTriggered(TLSUserEvent.handshakeCompleted(peer))
        // The peer may have sent application data right behind its Finished message.
        readPlaintext(context: context)
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        guard let ssl else { return }
        while state.state == .active {
            ERR_clear_error()
            var buffer = context.channel.allocator.buffer(capacity: Self.readChunkSize)
            var status: Int32 = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readChunkSize) { bytes in
                var count = 0
                status = SSL_read_ex(ssl, bytes.baseAddress, bytes.count, &count)
                return status == 1 ? count : 0
            }
            if status == 1 {
                context.fireChannelRead(wrapInboundOut(buffer))
                continue
            }
            switch SSL_get_error(ssl, status) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                // TLS 1.3 session tickets or key updates may have queued output.
                writePendingCiphertext(context: context, promise: nil, flush: true)
                return
            case SSL_ERROR_ZERO_RETURN:
                context.close(promise: nil)  // peer sent close_notify
                return
            default:
                let error = TLSError(.ioFailed,
                                     "TLS with \(remoteDescription): \(TLSError.drainOpenSSLErrors(fallback: "read failed"))")
                fail(context: context, error: error)
                return
            }
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let plaintext = unwrapOutboundIn(data)
        switch state.write() {
        case .buffer:
            bufferedWrites.append((plaintext, promise))
        case .encrypt:
            encryptAndWrite(context: context, plaintext: plaintext, promise: promise)
        case .fail:
            promise?.fail(ChannelError.ioOnClosedChannel)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        switch state.state {
        case .idle, .handshaking: flushRequestedDuringHandshake = true
        case .active, .closing, .closed: context.flush()
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch state.closeRequested() {
        case .sendCloseNotifyThenClose:
            if let ssl {
                ERR_clear_error()
                _ = SSL_shutdown(ssl)
                ERR_clear_error()
            }
            // Close once close_notify (and everything queued before it) reached the socket.
            let flushed = context.eventLoop.makePromise(of: Void.self)
            writePendingCiphertext(context: context, promise: flushed, flush: true)
            let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            flushed.futureResult.assumeIsolated().whenComplete { _ in
                loopBoundContext.value.close(mode: .all, promise: promise)
            }
        case .failBufferedWritesAndClose:
            handshakeTimeout?.cancel()
            failBufferedWrites(with: ChannelError.ioOnClosedChannel)
            context.close(mode: .all, promise: promise)
        case .forwardClose:
            context.close(mode: mode, promise: promise)
        }
    }

    private func encryptAndWrite(context: ChannelHandlerContext, plaintext: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let ssl else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        var remaining = plaintext
        while remaining.readableBytes > 0 {
            ERR_clear_error()
            var written = 0
            let status = remaining.withUnsafeReadableBytes { bytes in
                SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &written)
            }
            guard status == 1 else {
                let error = TLSError(.ioFailed,
                                     "TLS with \(remoteDescription): \(TLSError.drainOpenSSLErrors(fallback: "write failed"))")
                promise?.fail(error)
                fail(context: context, error: error)
                return
            }
            remaining.moveReaderIndex(forwardBy: written)
        }
        writePendingCiphertext(context: context, promise: promise, flush: false)
    }

    /// Moves everything OpenSSL produced into one buffer and writes it to the socket.
    private func writePendingCiphertext(context: ChannelHandlerContext, promise: EventLoopPromise<Void>?, flush: Bool) {
        guard let writeBIO else {
            promise?.succeed()
            return
        }
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else {
            promise?.succeed()
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(max(0, BIO_read(writeBIO, bytes.baseAddress, Int32(pending))))
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
        if flush { context.flush() }
    }

    // MARK: Failure

    private func fail(context: ChannelHandlerContext, error: TLSError) {
        handshakeTimeout?.cancel()
        handshakeTimeout = nil
        _ = state.handshakeFinished(succeeded: false)
        failBufferedWrites(with: error)
        // Flush any alert OpenSSL queued so the peer learns why.
        writePendingCiphertext(context: context, promise: nil, flush: true)
        context.fireErrorCaught(error)
        context.close(mode: .all, promise: nil)
    }

    private func failBufferedWrites(with error: Error) {
        let writes = bufferedWrites
        bufferedWrites = []
        for (_, promise) in writes { promise?.fail(error) }
    }
}

@available(*, unavailable)
extension TLSHandler: Sendable {}
