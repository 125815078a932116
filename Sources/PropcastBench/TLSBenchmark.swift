import Logging
import NIOPosix
import PropcastTLS
import PropcastWire
import PropcastWorker

/// `propcast bench tls`: transport throughput over real loopback sockets with mutual TLS.
///
/// Starts an in-process worker on 127.0.0.1 with the worker certificate of `certs` and
/// connects to it as coordinator, through the same TLS handler, framing and codec as
/// production. Small frames: sequential Ping/Pong round trips. Large frames: PredictRequests
/// padded to `frameBytes`, sent with `window` outstanding; each is answered with a short
/// rejection (the bench worker loads no models), so the figure is one-direction payload throughput.
public struct TLSBenchmark: Sendable {
    /// A directory made by `Ops/certs.sh` with a certificate for 127.0.0.1.
    public var certs: String
    /// How long each measurement runs.
    public var duration: Duration = .seconds(3)
    /// Payload size of the large frames, in bytes.
    public var frameBytes = 64 * 1024
    /// Large frames in flight at once.
    public var window = 8

    public init(certs: String) { self.certs = certs }

    /// Runs both measurements; `report` gets each result line. Throws ``TLSError`` for bad
    /// certificates and ``WireError`` when the session fails.
    public func run(report: @escaping @Sendable (String) -> Void) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let workerTLS = try TLSContext(configuration: TLSConfiguration(
            certificatePath: "\(certs)/worker-127.0.0.1.pem", privateKeyPath: "\(certs)/worker-127.0.0.1.key",
            trustRootsPath: "\(certs)/ca.pem", role: .worker))
        let coordinatorTLS = try TLSContext(configuration: TLSConfiguration(
            certificatePath: "\(certs)/coordinator.pem", privateKeyPath: "\(certs)/coordinator.key",
            trustRootsPath: "\(certs)/ca.pem", role: .coordinator))
        var logger = Logger(label: "bench.worker")
        logger.logLevel = .error
        let wire = WireConfiguration(heartbeatInterval: .seconds(60))
        let server = try await WorkerServer.bind(
            configuration: WorkerConfiguration(host: "127.0.0.1", port: 0, slots: window, nodeID: "bench", wire: wire),
            tls: workerTLS, executor: nil, group: group, logger: logger)
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        let duration = self.duration
        let frameBytes = self.frameBytes
        let window = self.window
        try await WireClient.withSession(host: "127.0.0.1", port: server.localAddress.port ?? 0, tls: coordinatorTLS,
                                         nodeID: "bench", configuration: wire, group: group) { session in
            let clock = ContinuousClock()
            var roundTrips = 0
            let pingStart = clock.now
            while clock.now - pingStart < duration {
                _ = try await session.ping()
                roundTrips += 1
            }
            let pingRate = Double(roundTrips) / (clock.now - pingStart).seconds
            report(String(format: "small frames: %d round trips in %.2f s = %.0f round trips/s (%.1f µs each)",
                         roundTrips, (clock.now - pingStart).seconds, pingRate, 1e6 / pingRate))

            var request = WirePredictRequest()
            request.playerLookup = String(repeating: "p", count: frameBytes - 16)
            let envelope = Envelope(.predictRequest(request))
            let encodedSize = try (envelope.serializedBytes() as [UInt8]).count
            var sent = 0
            var answered = 0
            let bulkStart = clock.now
            while clock.now - bulkStart < duration || answered < sent {
                while sent - answered < window, clock.now - bulkStart < duration {
                    try await session.send(envelope)
                    sent += 1
                }
                _ = try await session.next()
                answered += 1
            }
            let elapsed = (clock.now - bulkStart).seconds
            let megabytes = Double(encodedSize * answered) / 1_048_576
            report(String(format: "%d-byte frames: %d frames in %.2f s = %.1f MB/s (%.0f frames/s)",
                         encodedSize, answered, elapsed, megabytes / elapsed, Double(answered) / elapsed))
            await session.goodbye("bench done")
        }
        await server.stop()
    }
}
