import ArgumentParser
import Foundation
import Logging
import NIOPosix
import Prometheus
import PropcastModels
import PropcastTLS
import PropcastWire
import PropcastWorker
import ServiceLifecycle

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


    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free port).")
    var listen: String = "0.0.0.0:7420"

    @Option(help: "Predictions run at once across all connections (default: number of cores).")
    var slots: Int?

    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir"))
    var models: String?

    @Option(help: "Name of this worker in Hello and logs (default: host name).")
    var nodeId: String?

    @Option(help: "Serve Prometheus metrics (GET /metrics, /healthz, /readyz) on PORT of the --listen host.")
    var metricsPort: Int?

    @Option(help: "Serve Prometheus metrics at GET /metrics on HOST:PORT (instead of --metrics-port).")
    var metricsListen: String?

    @Option(help: "Largest frame accepted or sent, in bytes.")
    var maxFrameBytes: Int = 16 * 1024 * 1024

    @Option(help: "Most requests taken in one batch frame (announced to coordinators).")
    var maxBatchRequests: Int = 64

    @Option(help: "How long a drain (SIGTERM) may take to finish in-flight work before connections are closed anyway (e.g. 30s).")
    var drainTimeout: DurationArgument = DurationArgument(argument: "30s")!

    @Option(help: ArgumentHelp(
        "Failure drills only: hold every answer back this long (e.g. 20ms), to rehearse killing or stopping a busy worker.",
        visibility: .hidden))
    var simulateLatency: DurationArgument?

    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger(label: "propcast.worker")
        let configuration = try makeConfiguration()
        let metricsEndpoint = try parseMetricsEndpoint()
        let tlsContext = try tls.makeContext(role: .worker)
        let directory = ModelDirectory.resolve(models)
        let registry: ModelRegistry
        do {
            registry = try ModelRegistry.load(from: directory)
        } catch {
            let hint = models == nil ? " (pass --models DIR, or run from the repository root)" : ""
            throw CommandFailure(.usage, "cannot load the models in \(directory): \(error)\(hint)")
        }
        try await serve(configuration: configuration, registry: registry, tls: tlsContext,
                        metricsEndpoint: metricsEndpoint, logger: logger)
    }

    private func serve(configuration: WorkerConfiguration, registry: ModelRegistry, tls: TLSContext,
                       metricsEndpoint: Endpoint?, logger: Logger) async throws {
        let prometheus = metricsEndpoint.map { _ in PrometheusCollectorRegistry() }
        let metrics = prometheus.map { WorkerMetrics(factory: Self.metricsFactory($0)) } ?? .disabled
        metrics.modelLoadSeconds.record(Double(registry.loadDuration / .seconds(1)))
        metrics.slots.record(configuration.slots)
        let readiness = WorkerReadiness()
        let threadPool = NIOThreadPool(numberOfThreads: configuration.slots)
        threadPool.start()
        let engineExecutor = EnginePredictionExecutor(registry: registry, threadPool: threadPool, metrics: metrics,
                                                      logger: logger)
        let executor: any PredictionExecutor = simulateLatency.map {
            DelayedPredictionExecutor(engineExecutor, delay: $0.duration)
        } ?? engineExecutor
        let group = MultiThreadedEventLoopGroup.singleton
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var metricsLine: String?
        do {
            if let metricsEndpoint, let prometheus {
                let server = try await MetricsServer.bind(host: metricsEndpoint.host, port: metricsEndpoint.port,
                                                          registry: prometheus, readiness: readiness, group: group,
                                                          logger: logger) { metrics.sampleProcess() }
                metricsLine = "propcast worker \(configuration.nodeID) metrics on http://\(server.localAddress.hostAndPort)/metrics"
                services.append(.init(service: server, serviceName: "MetricsServer"))
            }
            let server = try await WorkerServer.bind(configuration: configuration, tls: tls, executor: executor,
                                                     group: group, logger: logger, metrics: metrics)
            // The ready line: scripts and tests wait for it and read the bound address from it.
            let milliseconds = Double(registry.loadDuration / .milliseconds(1))
            let readyLine = "propcast worker \(configuration.nodeID) listening on \(server.localAddress.hostAndPort) "
                + "(slots \(configuration.slots), models loaded in \(String(format: "%.1f", milliseconds)) ms, "
                + "certificate CN=\(tls.certificate.commonName))"
            let announcement = [metricsLine, readyLine].compactMap { $0 }
            // `serviceName`: without it the configuration describes the service by reflection, which
            // walks the loaded model arrays (most of the start-up CPU).
            services.append(.init(service: WorkerService(server: server, drainTimeout: configuration.drainTimeout,
                                                         logger: logger, onRunning: {
                readiness.set(.serving)
                announcement.forEach(printFlushed)
            }, onDraining: { readiness.set(.draining) }), serviceName: "WorkerService"))
        } catch let error as WorkerError {
            try? await threadPool.shutdownGracefully()
            throw CommandFailure(.usage, error.description)
        }
        let serviceGroup = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                             logger: logger))
        defer { logger.notice("worker stopped") }
        do {
            try await serviceGroup.run()
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        try await threadPool.shutdownGracefully()
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


    /// A Prometheus factory with latency buckets fit for predictions (10 µs … 1 s).
    static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(100), .seconds(1),
        ]
        return factory
    }
}
