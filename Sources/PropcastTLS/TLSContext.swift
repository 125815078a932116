import COpenSSL
import NIOCore

/// A configured OpenSSL `SSL_CTX`: this node's certificate and key, the pool CA, TLS ≥ 1.2
/// and mandatory peer certificates. Create one per process and share it; every connection
/// gets its own ``TLSHandler`` from it.
///
/// All validation happens here, at start-up, so a bad file fails fast with a clear error
/// instead of failing every handshake later.
public final class TLSContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is fully configured in `init` and never mutated afterwards;
    // OpenSSL documents a configured SSL_CTX as safe to share for SSL_new across threads.
    let context: OpaquePointer
    /// The configuration this context was built from.
    public let configuration: TLSConfiguration
    /// This node's own certificate, as loaded.
    public let certificate: CertificateInfo

    /// Loads and cross-checks the certificate, key and CA bundle.
    /// - Throws: ``TLSError`` naming the offending file: unreadable, not PEM, key does not
    ///   match the certificate, certificate expired / not yet valid / not signed by the CA,
    ///   or its role (OU) differs from `configuration.role`.
    public init(configuration: TLSConfiguration) throws {
        self.configuration = configuration
        ERR_clear_error()
        let certificatePath = configuration.certificatePath
        let certificate = try CertificateInfo.read(pemFile: certificatePath)
        if certificate.isExpired {
            throw TLSError(.certificateExpired, "certificate \(certificatePath): expired (notAfter \(certificate.notAfter))")
        }
        if certificate.isNotYetValid {
            throw TLSError(.certificateNotYetValid,
                           "certificate \(certificatePath): not yet valid (notBefore \(certificate.notBefore))")
        }
        guard certificate.role == configuration.role else {
            let found = certificate.organizationalUnit.isEmpty ? "no role (no OU)" : "role '\(certificate.organizationalUnit)'"
            throw TLSError(.wrongCertificateRole,
                           "certificate \(certificatePath): has \(found) but this node runs as \(configuration.role); "
                           + "use a \(configuration.role) certificate made by Ops/certs.sh")
        }
        self.certificate = certificate
        try CertificateInfo.requireReadable(configuration.privateKeyPath, what: "private key")
        try CertificateInfo.requireReadable(configuration.trustRootsPath, what: "CA bundle")

        guard let context = SSL_CTX_new(TLS_method()) else {
            throw TLSError(.contextSetupFailed, "cannot create TLS context: \(TLSError.drainOpenSSLErrors())")
        }
        self.context = context
        try configure(context)
    }

    deinit {
        SSL_CTX_free(context)
    }

    private func configure(_ context: OpaquePointer) throws {
        let configuration = self.configuration
        guard propcast_SSL_CTX_set_min_proto_version(context, propcast_TLS1_2_VERSION()) == 1 else {
            throw TLSError(.contextSetupFailed, "cannot require TLS 1.2: \(TLSError.drainOpenSSLErrors())")
        }
        _ = propcast_SSL_CTX_set_mode(context, propcast_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER())
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificatePath) == 1 else {
            throw TLSError(.invalidCertificate,
                           "certificate \(configuration.certificatePath): \(TLSError.drainOpenSSLErrors())")
        }
        guard let keyBIO = BIO_new_file(configuration.privateKeyPath, "r") else {
            throw TLSError(.fileUnreadable,
                           "private key \(configuration.privateKeyPath): cannot open (\(TLSError.drainOpenSSLErrors()))")
        }
        let privateKey = PEM_read_bio_PrivateKey(keyBIO, nil, nil, nil)
        BIO_free(keyBIO)
        guard let privateKey else {
            throw TLSError(.invalidPrivateKey,
                           "private key \(configuration.privateKeyPath): not a PEM private key "
                           + "(\(TLSError.drainOpenSSLErrors()))")
        }
        defer { EVP_PKEY_free(privateKey) }
        // OpenSSL refuses a key whose public half differs from the loaded certificate's.
        guard SSL_CTX_use_PrivateKey(context, privateKey) == 1, SSL_CTX_check_private_key(context) == 1 else {
            ERR_clear_error()
            throw TLSError(.keyDoesNotMatchCertificate,
                           "private key \(configuration.privateKeyPath): does not match certificate "
                           + "\(configuration.certificatePath)")
        }
        guard SSL_CTX_load_verify_locations(context, configuration.trustRootsPath, nil) == 1 else {
            throw TLSError(.invalidCertificate,
                           "CA bundle \(configuration.trustRootsPath): \(TLSError.drainOpenSSLErrors())")
        }
        try verifyOwnCertificateChainsToCA(context)
        SSL_CTX_set_verify(context, propcast_SSL_VERIFY_PEER_FAIL_IF_NO_CERT(), nil)
        SSL_CTX_set_verify_depth(context, 4)
    }

    /// Fails early when our own certificate would be rejected by every peer.
    private func verifyOwnCertificateChainsToCA(_ context: OpaquePointer) throws {
        guard let store = SSL_CTX_get_cert_store(context),
              let leaf = SSL_CTX_get0_certificate(context),
              let storeContext = X509_STORE_CTX_new()
        else {
            throw TLSError(.contextSetupFailed, "cannot inspect the loaded certificate: \(TLSError.drainOpenSSLErrors())")
        }
        defer { X509_STORE_CTX_free(storeContext) }
        var chain: OpaquePointer?
        _ = propcast_SSL_CTX_get0_chain_certs(context, &chain)
        guard X509_STORE_CTX_init(storeContext, store, leaf, chain) == 1 else {
            throw TLSError(.contextSetupFailed, "cannot verify the loaded certificate: \(TLSError.drainOpenSSLErrors())")
        }
        if X509_verify_cert(storeContext) != 1 {
            let reason = String(cString: X509_verify_cert_error_string(Int(X509_STORE_CTX_get_error(storeContext))))
            ERR_clear_error()
            throw TLSError(.certificateNotFromCA,
                           "certificate \(configuration.certificatePath): does not verify against CA bundle "
                           + "\(configuration.trustRootsPath) (\(reason))")
        }
    }

    /// A handler for the accepting side of a connection.
    public func makeServerHandler() -> TLSHandler {
        TLSHandler(context: self, mode: .server)
    }

    /// A handler for the connecting side; `serverName` (a DNS name or an IP literal) must
    /// appear in the server certificate's subject alternative names.
    public func makeClientHandler(serverName: String) -> TLSHandler {
        TLSHandler(context: self, mode: .client(serverName: serverName))
    }
}
