import Logging
import NIOCore
import NIOPosix
import PropcastTestSupport
import PropcastTLS
import PropcastWire
import PropcastWorker

/// A real worker server on 127.0.0.1 (real sockets, real TLS) for one test.
struct LoopbackWorker {
    let server: WorkerServer
    let task: Task<Void, Error>
    let port: Int

    static func start(certs: TestCertificates, host: String = "127.0.0.1",
                      wire: WireConfiguration = WireConfiguration()) async throws -> LoopbackWorker {
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificatePath: certs.workerCert(host), privateKeyPath: certs.workerKey(host), trustRootsPath: certs.ca,
            role: .worker, handshakeTimeout: .seconds(3)))
        var logger = Logger(label: "test.worker")
        logger.logLevel = .critical
        let configuration = WorkerConfiguration(host: "127.0.0.1", port: 0, slots: 3, nodeID: "loopback-worker", wire: wire)
        let server = try await WorkerServer.bind(configuration: configuration, tls: tls, executor: nil,
                                                 group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let task = Task { try await server.run() }
        return LoopbackWorker(server: server, task: task, port: server.localAddress.port ?? 0)
    }

    func stop() async {
        await server.stop()
        task.cancel()
    }
}

/// A coordinator-side TLS context from the given files.
func coordinatorContext(cert: String, key: String, ca: String, role: PeerRole = .coordinator,
                        accepting: Set<PeerRole>? = nil) throws -> TLSContext {
    try TLSContext(configuration: TLSConfiguration(certificatePath: cert, privateKeyPath: key, trustRootsPath: ca,
                                                   role: role, acceptedPeerRoles: accepting,
                                                   handshakeTimeout: .seconds(3)))
}

/// Connects, exchanges Hello and pings once; returns the worker's node id.
func pingWorker(host: String = "127.0.0.1", port: Int, tls: TLSContext) async throws -> String {
    try await WireClient.withSession(host: host, port: port, tls: tls, nodeID: "test-coordinator",
                                     configuration: WireConfiguration(sessionSetupTimeout: .seconds(5)),
                                     group: MultiThreadedEventLoopGroup.singleton) { session in
        _ = try await session.ping()
        await session.goodbye()
        return session.worker.nodeID
    }
}

extension WireConfiguration {
    /// A coordinator session with a 10 s heartbeat (30 s idle on both sides, the worker's from
    /// HelloAck): a test on a loaded machine is not cut off by the 6 s production idle.
    static let patientTestSession = WireConfiguration(heartbeatInterval: .seconds(10))
}
