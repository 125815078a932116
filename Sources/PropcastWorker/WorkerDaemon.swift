import Foundation
import Logging
import NIOPosix
import Prometheus
import PropcastModels
import PropcastTLS
import PropcastWire
import ServiceLifecycle

/// `propcast worker` as a whole: the prediction thread pool, the protocol listener, the
/// optional metrics server and the service group that drains on SIGTERM/SIGINT.
///
/// ``run(announce:)`` binds everything, calls `announce` with the ready line(s) once the
/// worker serves (scripts and tests read the address from the line
/// `propcast worker NODE listening on HOST:PORT (slots N, models loaded in X ms, certificate CN=NAME)`),
/// and returns after a drain.
public struct WorkerDaemon: Sendable {
    /// What the daemon runs besides ``WorkerConfiguration``.
    public struct Options: Sendable {
        /// Serve `/metrics`, `/healthz` and `/readyz` here; nil = no metrics server.
        public var metricsEndpoint: Endpoint?
        /// Failure drills only: hold every answer back this long.
        public var simulatedLatency: Duration?

        public init(metricsEndpoint: Endpoint? = nil, simulatedLatency: Duration? = nil) {
            self.metricsEndpoint = metricsEndpoint
            self.simulatedLatency = simulatedLatency
        }
    }

    public let configuration: WorkerConfiguration
    public let options: Options
    public let registry: ModelRegistry
    public let tls: TLSContext
    public let logger: Logger

    public init(configuration: WorkerConfiguration, options: Options = Options(), registry: ModelRegistry,
                tls: TLSContext, logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.registry = registry
        self.tls = tls
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then drains. Throws ``WorkerError`` when a socket cannot
    /// be bound; nothing is left running then.
    public func run(announce: @escaping @Sendable (String) -> Void) async throws {
        let prometheus = options.metricsEndpoint.map { _ in PrometheusCollectorRegistry() }
        let metrics = prometheus.map { WorkerMetrics(factory: Self.metricsFactory($0)) } ?? .disabled
        metrics.modelLoadSeconds.record(Double(registry.loadDuration / .seconds(1)))
        metrics.slots.record(configuration.slots)
        let threadPool = NIOThreadPool(numberOfThreads: configuration.slots)
        threadPool.start()
        do {
            let serviceGroup = try await makeServiceGroup(threadPool: threadPool, prometheus: prometheus,
                                                          metrics: metrics, announce: announce)
            try await serviceGroup.run()
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        logger.notice("worker stopped")
        try await threadPool.shutdownGracefully()
    }

    private func makeServiceGroup(threadPool: NIOThreadPool, prometheus: PrometheusCollectorRegistry?,
                                  metrics: WorkerMetrics,
                                  announce: @escaping @Sendable (String) -> Void) async throws -> ServiceGroup {
        let readiness = WorkerReadiness()
        let engineExecutor = EnginePredictionExecutor(registry: registry, threadPool: threadPool, metrics: metrics,
                                                      logger: logger)
        let executor: any PredictionExecutor = options.simulatedLatency.map {
            DelayedPredictionExecutor(engineExecutor, delay: $0)
        } ?? engineExecutor
        let group = MultiThreadedEventLoopGroup.singleton
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var lines: [String] = []
        if let endpoint = options.metricsEndpoint, let prometheus {
            let server = try await MetricsServer.bind(host: endpoint.host, port: endpoint.port, registry: prometheus,
                                                      readiness: readiness, group: group,
                                                      logger: logger) { metrics.sampleProcess() }
            lines.append("propcast worker \(configuration.nodeID) metrics on http://\(server.localAddress.hostAndPort)/metrics")
            services.append(.init(service: server, serviceName: "MetricsServer"))
        }
        let server = try await WorkerServer.bind(configuration: configuration, tls: tls, executor: executor,
                                                 group: group, logger: logger, metrics: metrics)
        lines.append(readyLine(address: server.localAddress.hostAndPort))
        let announcement = lines
        // `serviceName`: without it the configuration describes the service by reflection, which
        // walks the loaded model arrays (most of the start-up CPU).
        services.append(.init(service: WorkerService(server: server, drainTimeout: configuration.drainTimeout,
                                                     logger: logger, onRunning: {
            readiness.set(.serving)
            announcement.forEach(announce)
        }, onDraining: { readiness.set(.draining) }), serviceName: "WorkerService"))
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                 logger: logger))
    }

    /// `propcast worker NODE listening on HOST:PORT (slots N, models loaded in X ms, certificate CN=NAME)`.
    private func readyLine(address: String) -> String {
        let milliseconds = Double(registry.loadDuration / .milliseconds(1))
        return "propcast worker \(configuration.nodeID) listening on \(address) (slots \(configuration.slots), "
            + "models loaded in \(String(format: "%.1f", milliseconds)) ms, certificate CN=\(tls.certificate.commonName))"
    }

    /// A Prometheus factory with latency buckets fit for predictions (10 µs … 1 s).
    public static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
            .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(100), .seconds(1),
        ]
        return factory
    }
}
