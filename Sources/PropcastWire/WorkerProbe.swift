import NIOPosix
import PropcastTLS

/// `propcast ping`: connects to a worker as coordinator, reports its TLS session, its Hello
/// (node, slots, protocol, software, model versions) and `count` Ping round trips, then says Goodbye.
public struct WorkerProbe: Sendable {
    public var endpoint: Endpoint
    public var nodeID: String
    /// Connect, TLS and Hello must be done within this.
    public var timeout: Duration = .seconds(10)
    public var count = 3

    public init(endpoint: Endpoint, nodeID: String) {
        self.endpoint = endpoint
        self.nodeID = nodeID
    }

    /// Probes the worker; `report` gets each line. Throws ``WireError`` or ``TLSError`` when
    /// the worker cannot be reached or the session fails.
    public func run(tls: TLSContext, report: @escaping @Sendable (String) -> Void) async throws {
        let count = self.count
        try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: tls, nodeID: nodeID,
                                         configuration: WireConfiguration(sessionSetupTimeout: timeout),
                                         group: MultiThreadedEventLoopGroup.singleton) { [endpoint] session in
            let worker = session.worker
            report("connected to \(endpoint): \(session.peer.protocolVersion) \(session.peer.cipher), "
                   + "certificate CN=\(session.peer.certificate.commonName) role=\(session.peer.certificate.organizationalUnit)")
            report("worker hello: node_id=\(worker.nodeID) slots=\(worker.slots) protocol=\(worker.protocolVersion) "
                   + "software=\(worker.softwareVersion)")
            for model in worker.modelVersions { report("  model \(model.systemID) \(model.version)") }
            for sequence in 1...count {
                let milliseconds = try await session.ping() / .milliseconds(1)
                report("pong \(sequence): rtt \(String(format: "%.3f", milliseconds)) ms")
            }
            await session.goodbye("ping done")
        }
    }
}
