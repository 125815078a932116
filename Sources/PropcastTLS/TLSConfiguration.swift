/// How a node authenticates itself and its peers. Built from CLI flags in one place
/// (the `propcast` command); library code never reads flags or the environment.
public struct TLSConfiguration: Sendable {
    /// PEM certificate (optionally followed by intermediates) presented to peers.
    public var certificatePath: String
    /// PEM private key matching `certificatePath`.
    public var privateKeyPath: String
    /// PEM bundle of the pool's CA certificate(s); peers must chain to one of them.
    public var trustRootsPath: String
    /// This node's role; the certificate's `OU` must say the same.
    public var role: PeerRole
    /// Roles this node accepts from peers. Default: the counterpart (a worker accepts only
    /// coordinators, a coordinator only workers).
    public var acceptedPeerRoles: Set<PeerRole>
    /// Handshakes that take longer than this are aborted. Default 10 s.
    public var handshakeTimeout: Duration

    /// Creates a configuration; see the property docs for defaults.
    public init(certificatePath: String, privateKeyPath: String, trustRootsPath: String, role: PeerRole,
                acceptedPeerRoles: Set<PeerRole>? = nil, handshakeTimeout: Duration = .seconds(10)) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
        self.role = role
        self.acceptedPeerRoles = acceptedPeerRoles ?? [role.counterpart]
        self.handshakeTimeout = handshakeTimeout
    }
}
