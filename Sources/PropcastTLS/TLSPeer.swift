/// Who the peer turned out to be, announced with ``TLSUserEvent/handshakeCompleted(_:)``.
public struct TLSPeer: Sendable, Equatable {
    /// The peer's verified certificate.
    public let certificate: CertificateInfo
    /// Negotiated protocol, e.g. `TLSv1.3`.
    public let protocolVersion: String
    /// Negotiated cipher suite, e.g. `TLS_AES_256_GCM_SHA384`.
    public let cipher: String
}

/// Inbound user events fired by ``TLSHandler``.
public enum TLSUserEvent: Sendable, Equatable {
    /// The handshake succeeded and the peer's certificate and role were accepted.
    case handshakeCompleted(TLSPeer)
}
