import ArgumentParser
import Foundation
import Logging
import PropcastModels
import PropcastTLS
import PropcastWire
import PropcastWorker

/// `propcast worker`: the long-running daemon on each host.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker daemon: accept coordinators over mutual TLS and answer prediction requests.",
        discussion: """
        Loads every model once, listens, and prints one ready line on stdout: \
        propcast worker NODE listening on HOST:PORT (slots N, models loaded in X ms, certificate CN=NAME)

        SIGTERM or SIGINT drains: every coordinator gets Drain, in-flight work is finished and answered, \
        then Goodbye, and the worker exits 0. Exit 2 on bad options, certificates or models.
        """
    )


    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).") var listen: String = "0.0.0.0:7420"
    @Option(help: "Predictions run at once across all connections (default: number of cores).") var slots: Int?
    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @Option(help: "Name of this worker in Hello and logs (default: host name).") var nodeId: String?
    @Option(help: "Serve Prometheus metrics (GET /metrics, /healthz, /readyz) on PORT of the --listen host.")
    var metricsPort: Int?

    @Option(help: "Serve Prometheus metrics at GET /metrics on HOST:PORT (instead of --metrics-port).") var metricsListen: String?
    @Option(help: "Largest frame accepted or sent, in bytes.") var maxFrameBytes: Int = 16 * 1024 * 1024
    @Option(help: "Most requests taken in one batch frame (announced to coordinators).") var maxBatchRequests: Int = 64
    @Option(help: "How long a drain (SIGTERM) may take to finish in-flight work before connections are closed anyway (e.g. 30s).")
    var drainTimeout: DurationArgument = DurationArgument(argument: "30s")!

    @Option(help: ArgumentHelp(
        "Failure drills only: hold every answer back this long (e.g. 20ms), to rehearse killing or stopping a busy worker.",
        visibility: .hidden))
    var simulateLatency: DurationArgument?

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = Logger(label: "propcast.worker")
        let configuration = try makeConfiguration()
        let options = WorkerDaemon.Options(metricsEndpoint: try parseMetricsEndpoint(),
                                           simulatedLatency: simulateLatency?.duration)
        let tlsContext = try tls.makeContext(role: .worker)
        let daemon = WorkerDaemon(configuration: configuration, options: options,
                                  registry: try ModelDirectory.loadRegistry(models), tls: tlsContext, logger: logger)
        do {
            try await daemon.run(announce: printFlushed)
        } catch let error as WorkerError {
            throw CommandFailure(.usage, error.description)
        }
    }

    /// The configuration from the flags, or exit 2 naming the bad flag.
    private func makeConfiguration() throws -> WorkerConfiguration {
        let endpoint: Endpoint
        do { endpoint = try Endpoint(parsing: listen) } catch { throw CommandFailure(.usage, "--listen: \(error)") }
        let slots = self.slots ?? ProcessInfo.processInfo.activeProcessorCount
        guard slots > 0, slots <= 4096 else { throw CommandFailure(.usage, "--slots must be 1…4096 (got \(slots))") }
        guard maxFrameBytes >= 1024, maxFrameBytes <= Int(UInt32.max) else {
            throw CommandFailure(.usage, "--max-frame-bytes must be 1024…\(UInt32.max) (got \(maxFrameBytes))")
        }
        guard maxBatchRequests > 0, maxBatchRequests <= 4096 else {
            throw CommandFailure(.usage, "--max-batch-requests must be 1…4096 (got \(maxBatchRequests))")
        }
        return WorkerConfiguration(host: endpoint.host, port: endpoint.port, slots: slots,
                                   nodeID: nodeId ?? ProcessInfo.processInfo.hostName, maxBatchRequests: maxBatchRequests,
                                   wire: WireConfiguration(maxFrameBytes: maxFrameBytes),
                                   drainTimeout: drainTimeout.duration)
    }

    /// Where to serve metrics (nil = no metrics), or exit 2 naming the bad flag.
    private func parseMetricsEndpoint() throws -> Endpoint? {
        switch (metricsPort, metricsListen) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw CommandFailure(.usage, "give --metrics-port or --metrics-listen, not both")
        case (let port?, nil):
            guard (0...65535).contains(port) else { throw CommandFailure(.usage, "--metrics-port \(port) is not a port") }
            // The --listen host: a worker bound to one interface does not expose metrics on all.
            let listenHost = (try? Endpoint(parsing: listen).host) ?? "0.0.0.0"
            return Endpoint(host: listenHost, port: port)
        case (nil, let text?):
            do { return try Endpoint(parsing: text) } catch { throw CommandFailure(.usage, "--metrics-listen: \(error)") }
        }
    }
}
