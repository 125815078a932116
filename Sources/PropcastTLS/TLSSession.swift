import COpenSSL
import NIOCore

/// One TLS session in OpenSSL over a pair of memory BIOs, with no I/O of its own: the
/// network's ciphertext goes in through ``feed(ciphertext:)`` and OpenSSL's output comes out
/// of ``takeCiphertext(allocator:)``; the application's plaintext goes in through
/// ``write(plaintext:)`` and out of ``readPlaintext(allocator:)``. Every failure is a
/// ``TLSError`` naming the peer.
///
/// Owns the `SSL*` (which owns both BIOs). Not thread-safe: ``TLSHandler`` uses it on its
/// channel's event loop only.
final class TLSSession {
    /// Which end of the connection this session is.
    enum Mode {
        case server
        /// `serverName` (a DNS name or an IP literal) must appear in the server certificate.
        case client(serverName: String)
    }

    /// What a handshake step came to.
    enum HandshakeResult {
        /// The handshake is done and the peer's certificate and role are accepted.
        case completed(TLSPeer)
        /// OpenSSL waits for more ciphertext from the peer.
        case needsMoreInput
        case failed(TLSError)
    }

    /// What reading plaintext came to.
    enum ReadResult {
        case plaintext(ByteBuffer)
        /// Everything received so far has been read.
        case needsMoreInput
        /// The peer sent `close_notify`.
        case closedByPeer
        case failed(TLSError)
    }

    private let ssl: OpaquePointer
    private let writeBIO: OpaquePointer
    private let readBIO: OpaquePointer
    private let configuration: TLSConfiguration
    private let mode: Mode
    /// The peer as errors name it, e.g. `127.0.0.1:7420`.
    let remoteDescription: String

    private static let readChunkSize = 16 * 1024

    /// Creates the session for one connection from the shared context.
    /// - Throws: ``TLSError`` `.contextSetupFailed` when OpenSSL cannot allocate the session
    ///   or `serverName` is neither a host name nor an IP address.
    init(context: TLSContext, mode: Mode, remoteDescription: String) throws(TLSError) {
        ERR_clear_error()
        let ssl = SSL_new(context.context)
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
        switch mode {
        case .server:
            SSL_set_accept_state(ssl)
        case .client(let serverName):
            SSL_set_connect_state(ssl)
            do throws(TLSError) {
                try Self.expectServerName(serverName, ssl: ssl)
            } catch {
                SSL_free(ssl)
                throw error
            }
        }
        (self.ssl, self.readBIO, self.writeBIO) = (ssl, readBIO, writeBIO)
        self.configuration = context.configuration
        self.mode = mode
        self.remoteDescription = remoteDescription
    }

    deinit {
        SSL_free(ssl)
    }

    /// Makes OpenSSL check the server certificate's SAN against a DNS name or an IP.
    private static func expectServerName(_ serverName: String, ssl: OpaquePointer) throws(TLSError) {
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

    // MARK: Ciphertext

    /// Hands ciphertext received from the peer to OpenSSL.
    /// - Throws: ``TLSError`` `.ioFailed` when the memory BIO refuses it.
    func feed(ciphertext: ByteBuffer) throws(TLSError) {
        var remaining = ciphertext
        while remaining.readableBytes > 0 {
            let written = remaining.withUnsafeReadableBytes { bytes in
                BIO_write(readBIO, bytes.baseAddress, Int32(min(bytes.count, Int(Int32.max))))
            }
            guard written > 0 else {
                throw TLSError(.ioFailed, "TLS with \(remoteDescription): cannot buffer input")
            }
            remaining.moveReaderIndex(forwardBy: Int(written))
        }
    }

    /// Everything OpenSSL has produced for the peer since the last call, in one buffer; nil
    /// when there is nothing to send.
    func takeCiphertext(allocator: ByteBufferAllocator) -> ByteBuffer? {
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else { return nil }
        var buffer = allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { bytes in
            Int(max(0, BIO_read(writeBIO, bytes.baseAddress, Int32(pending))))
        }
        return buffer
    }

    // MARK: Handshake

    /// Advances the handshake with the ciphertext fed so far. Output it produced (including
    /// an alert after a failure) waits in ``takeCiphertext(allocator:)``.
    func handshake() -> HandshakeResult {
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return acceptedPeer() }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .needsMoreInput
        default:
            return .failed(handshakeFailure())
        }
    }

    /// The peer of a completed handshake, if its certificate has a role this node accepts.
    private func acceptedPeer() -> HandshakeResult {
        guard let peerCertificate = SSL_get1_peer_certificate(ssl) else {
            return .failed(TLSError(.handshakeFailed, "TLS handshake with \(remoteDescription): peer sent no certificate"))
        }
        let certificate = CertificateInfo(x509: peerCertificate)
        X509_free(peerCertificate)
        guard let role = certificate.role, configuration.acceptedPeerRoles.contains(role) else {
            let found = certificate.role.map { "role '\($0)'" } ?? "no Propcast role (OU '\(certificate.organizationalUnit)')"
            let accepted = configuration.acceptedPeerRoles.map(\.rawValue).sorted().joined(separator: ", ")
            return .failed(TLSError(.peerRoleRejected,
                "TLS peer \(remoteDescription) (CN '\(certificate.commonName)') has \(found); "
                + "a \(configuration.role) accepts only: \(accepted)"))
        }
        return .completed(TLSPeer(
            certificate: certificate,
            protocolVersion: String(cString: SSL_get_version(ssl)),
            cipher: SSL_get_current_cipher(ssl).map { String(cString: SSL_CIPHER_get_name($0)) } ?? "?"))
    }

    private func handshakeFailure() -> TLSError {
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

    // MARK: Plaintext

    /// Decrypts the next chunk (up to 16 KiB) of what the peer sent.
    func readPlaintext(allocator: ByteBufferAllocator) -> ReadResult {
        ERR_clear_error()
        var buffer = allocator.buffer(capacity: Self.readChunkSize)
        var status: Int32 = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.readChunkSize) { bytes in
            var count = 0
            status = SSL_read_ex(ssl, bytes.baseAddress, bytes.count, &count)
            return status == 1 ? count : 0
        }
        if status == 1 { return .plaintext(buffer) }
        switch SSL_get_error(ssl, status) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            // TLS 1.3 session tickets or key updates may have queued output meanwhile.
            return .needsMoreInput
        case SSL_ERROR_ZERO_RETURN:
            return .closedByPeer
        default:
            return .failed(TLSError(.ioFailed,
                                    "TLS with \(remoteDescription): \(TLSError.drainOpenSSLErrors(fallback: "read failed"))"))
        }
    }

    /// Encrypts all of `plaintext`; the records wait in ``takeCiphertext(allocator:)``.
    /// - Throws: ``TLSError`` `.ioFailed` with OpenSSL's reason.
    func write(plaintext: ByteBuffer) throws(TLSError) {
        var remaining = plaintext
        while remaining.readableBytes > 0 {
            ERR_clear_error()
            var written = 0
            let status = remaining.withUnsafeReadableBytes { bytes in
                SSL_write_ex(ssl, bytes.baseAddress, bytes.count, &written)
            }
            guard status == 1 else {
                throw TLSError(.ioFailed,
                               "TLS with \(remoteDescription): \(TLSError.drainOpenSSLErrors(fallback: "write failed"))")
            }
            remaining.moveReaderIndex(forwardBy: written)
        }
    }

    /// Queues `close_notify` for the peer (take it out with ``takeCiphertext(allocator:)``).
    func shutdown() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }
}

@available(*, unavailable)
extension TLSSession: Sendable {}
