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

/// What one probe of a worker found: its Hello, one Ping round trip and its certificate.
public struct WorkerSample: Sendable, Hashable {
    public var nodeID: String
    public var slots: Int
    public var protocolVersion: String
    public var softwareVersion: String
    /// Model version by system id.
    public var modelVersions: [String: String]
    public var roundTrip: Duration
    /// The worker certificate's common name and expiry (as OpenSSL prints it).
    public var certificateName: String
    public var certificateNotAfter: String
}

extension WorkerProbe {
    /// Connects, reads the Hello, times one Ping and says Goodbye.
    /// - Throws: ``WireError`` or ``TLSError`` when the worker cannot be reached or the session fails.
    public func sample(tls: TLSContext) async throws -> WorkerSample {
        try await WireClient.withSession(host: endpoint.host, port: endpoint.port, tls: tls, nodeID: nodeID,
                                         configuration: WireConfiguration(sessionSetupTimeout: timeout),
                                         group: MultiThreadedEventLoopGroup.singleton) { session in
            let roundTrip = try await session.ping()
            await session.goodbye("probe done")
            let worker = session.worker
            return WorkerSample(nodeID: worker.nodeID, slots: Int(worker.slots), protocolVersion: "\(worker.protocolVersion)",
                                softwareVersion: worker.softwareVersion,
                                modelVersions: Dictionary(worker.modelVersions.map { ($0.systemID, $0.version) }) { $1 },
                                roundTrip: roundTrip, certificateName: session.peer.certificate.commonName,
                                certificateNotAfter: session.peer.certificate.notAfter)
        }
    }
}
