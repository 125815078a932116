import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastTLS
import PropcastWire
import PropcastWorker

/// `propcast bench tls`: transport throughput over real loopback sockets with mutual TLS.
struct BenchTLSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Measure mTLS round trips/s for small frames and MB/s for 64 KiB frames on loopback.",
        discussion: """
            Starts an in-process worker on 127.0.0.1 with the given worker certificate and connects \
            to it as coordinator, through the same TLS handler, framing and codec as production. \
            Small frames: sequential Ping/Pong round trips. Large frames: PredictRequests padded to \
            --frame-bytes, sent with --window outstanding; each is answered with a short \
            rejection (the bench worker loads no models), so the figure is one-direction payload \
            throughput. Make certificates with: Ops/certs.sh --dir DIR 127.0.0.1
            """)

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.")
    var certs: String

    @Option(help: "How long to run each measurement (e.g. 3s).")
    var duration: DurationArgument = DurationArgument(argument: "3s")!

    @Option(help: "Payload size of the large frames, in bytes.")
    var frameBytes: Int = 64 * 1024

    @Option(help: "Large frames in flight at once.")
    var window: Int = 8

    func run() async throws {
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
        let duration = self.duration.duration
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
            print(String(format: "small frames: %d round trips in %.2f s = %.0f round trips/s (%.1f µs each)",
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
            print(String(format: "%d-byte frames: %d frames in %.2f s = %.1f MB/s (%.0f frames/s)",
                         encodedSize, answered, elapsed, megabytes / elapsed, Double(answered) / elapsed))
            await session.goodbye("bench done")
        }
        await server.stop()
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
