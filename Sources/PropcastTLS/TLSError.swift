import COpenSSL
import PropcastErrors

/// A TLS failure with enough context for an operator to act on it.
///
/// `description` reads like `certificate /etc/propcast/worker.pem: expired (notAfter 2026-01-01 00:00:00 GMT)`.
public typealias TLSError = CodedError<TLSErrorCode>

/// What kind of TLS step failed, for code that branches on it.
public enum TLSErrorCode: String, Sendable, Equatable {
    case fileUnreadable
    case invalidCertificate
    case invalidPrivateKey
    case keyDoesNotMatchCertificate
    case certificateExpired
    case certificateNotYetValid
    case certificateNotFromCA
    case wrongCertificateRole
    case contextSetupFailed
    case handshakeFailed
    case handshakeTimedOut
    case peerRoleRejected
    case connectionClosedDuringHandshake
    case ioFailed
}

extension TLSError {
    /// Drains OpenSSL's thread-local error queue into one readable string (or `fallback`).
    static func drainOpenSSLErrors(fallback: String = "unknown OpenSSL error") -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(nullTerminated: buffer))
        }
        return messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}
