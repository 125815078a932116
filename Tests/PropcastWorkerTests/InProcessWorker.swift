import Logging
import NIOPosix
import PropcastTestSupport
import PropcastTLS
import PropcastWire
import PropcastWorker

/// A ``WorkerServer`` running in the test process on a free port with real certificates
/// from `Ops/certs.sh`, and a way to open coordinator sessions to it.
struct InProcessWorker {
    let server: WorkerServer
    let port: Int
    private let coordinatorTLS: TLSContext
    /// The server's `run()` (nil when the caller runs it); finishes after a drain (or
    /// `stop()`) once connections end.
    let serving: Task<Void, any Error>?

    /// Binds a worker on a free port; `serve` false leaves running it to the caller.
    static func start(slots: Int, executor: any PredictionExecutor, metrics: WorkerMetrics = .disabled,
                      wire: WireConfiguration = WireConfiguration(), serve: Bool = true) async throws -> InProcessWorker {
        let certificates = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "worker-tests")
        let workerTLS = try TLSContext(configuration: TLSConfiguration(
            certificatePath: certificates.workerCert("127.0.0.1"), privateKeyPath: certificates.workerKey("127.0.0.1"),
            trustRootsPath: certificates.ca, role: .worker))
        let coordinatorTLS = try TLSContext(configuration: TLSConfiguration(
            certificatePath: certificates.coordinatorCert, privateKeyPath: certificates.coordinatorKey,
            trustRootsPath: certificates.ca, role: .coordinator))
        let configuration = WorkerConfiguration(host: "127.0.0.1", port: 0, slots: slots, nodeID: "test-worker", wire: wire)
        let server = try await WorkerServer.bind(configuration: configuration, tls: workerTLS, executor: executor,
                                                 group: MultiThreadedEventLoopGroup.singleton,
                                                 logger: Logger(label: "test.worker"), metrics: metrics)
        guard let port = server.localAddress.port else { throw WorkerTestError("worker bound no port") }
        let serving = serve ? Task { try await server.run() } : nil
        return InProcessWorker(server: server, port: port, coordinatorTLS: coordinatorTLS, serving: serving)
    }

    /// Waits for ``serving`` to finish, failing after `timeout`.
    func waitUntilServed(timeout: Duration = .seconds(10)) async throws {
        guard let serving else { return }
        try await withDeadline(timeout, "the worker server to return") { try await serving.value }
    }

    /// Opens an established session as coordinator `nodeID` and runs `body` with it.
    /// A coordinator session; by default with a 10 s heartbeat (30 s idle on both sides), so
    /// a test holding requests on a loaded machine is not cut off by the 6 s production idle.
    func withSession<T: Sendable>(_ nodeID: String = "test-coordinator",
                                  configuration: WireConfiguration = WireConfiguration(heartbeatInterval: .seconds(10)),
                                  _ body: (CoordinatorSession) async throws -> T) async throws -> T {
        try await WireClient.withSession(host: "127.0.0.1", port: port, tls: coordinatorTLS, nodeID: nodeID,
                                         configuration: configuration, group: MultiThreadedEventLoopGroup.singleton,
                                         body)
    }
}

extension CoordinatorSession {
    /// Sends a request built from a fixture input.
    func sendRequest(_ requestID: UInt64) async throws {
        try await send(Envelope(.predictRequest(WirePredictRequest(WorkerFixture.input(), requestID: requestID))))
    }

    /// The next message that is not a Pong.
    func nextAnswer() async throws -> CoordinatorSessionStateMachine.Action {
        while true {
            let action = try await next()
            if case .pong = action { continue }
            return action
        }
    }
}
