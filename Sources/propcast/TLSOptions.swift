import ArgumentParser
import PropcastTLS

/// `--cert/--key/--ca`, shared by every command that speaks to the pool.
struct TLSOptions: ParsableArguments {
    @Option(help: "PEM certificate of this node (made by Ops/certs.sh).") var cert: String
    @Option(help: "PEM private key matching --cert.") var key: String
    @Option(help: "PEM certificate of the pool CA.") var ca: String
    @Option(help: "TLS handshake timeout (e.g. 10s, 500ms).")
    var handshakeTimeout: DurationArgument = DurationArgument(argument: "10s")!

    /// Loads the context for `role`, or exits 2 with the error's explanation.
    func makeContext(role: PeerRole) throws -> TLSContext {
        let configuration = TLSConfiguration(certificatePath: cert, privateKeyPath: key, trustRootsPath: ca, role: role,
                                             handshakeTimeout: handshakeTimeout.duration)
        do {
            return try TLSContext(configuration: configuration)
        } catch {
            throw CommandFailure(.usage, "\(error)")
        }
    }

    /// The context of the coordinator's HTTPS API: `certificate`/`key` (a server certificate of
    /// role coordinator, `Ops/certs.sh api:HOST`), clients must present a coordinator certificate
    /// of the pool CA (operators use the coordinator's client certificate).
    func makeHTTPContext(certificate: String?, key: String?) throws -> TLSContext {
        let configuration = TLSConfiguration(certificatePath: certificate ?? cert, privateKeyPath: key ?? self.key,
                                             trustRootsPath: ca, role: .coordinator, acceptedPeerRoles: [.coordinator],
                                             handshakeTimeout: handshakeTimeout.duration)
        do {
            return try TLSContext(configuration: configuration)
        } catch {
            throw CommandFailure(.usage, "HTTPS API: \(error)")
        }
    }
}
