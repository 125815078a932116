import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import PropcastWire
import ServiceLifecycle

/// A tiny HTTP/1.1 server (NIO's codec) that exposes a Prometheus registry at
/// `GET /metrics` (with `# HELP` lines), `GET /healthz` (the process answers) and
/// `GET /readyz` (the worker takes work: 200, else 503). A `Service`: it runs until a graceful shutdown closes it.
public struct MetricsServer: Service {
    private let channel: any Channel
    /// The bound address (useful with port 0).
    public let localAddress: SocketAddress

    /// Binds `host:port` (port 0 picks a free port). At the open-files limit scrapes are
    /// turned away rather than spun on (``AcceptOverloadHandler``), reported to `logger`.
    /// - Throws: ``WorkerError`` `.listenFailed` naming the address.
    /// `readiness` answers `GET /readyz`; `beforeScrape` runs before each `GET /metrics`
    /// (to sample process figures).
    public static func bind(host: String, port: Int, registry: PrometheusCollectorRegistry,
                            readiness: WorkerReadiness = WorkerReadiness(), group: any EventLoopGroup,
                            logger: Logger = Logger(label: "propcast.metrics"),
                            beforeScrape: @escaping @Sendable () -> Void = {}) async throws -> MetricsServer {
        let channel: any Channel
        do {
            let socket = try ListeningSocket.open(host: host, port: port, backlog: 64)
            channel = try await ServerBootstrap(group: group)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AcceptOverloadHandler(listening: socket) { count, error in
                            logger.error("out of file descriptors: turned away \(count) metrics connection(s)",
                                         metadata: ["error": "\(error)"])
                        })
                    }
                }
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(registry: registry, readiness: readiness,
                                                                                 beforeScrape: beforeScrape))
                    }
                }
                .withBoundSocket(socket.descriptor).get()
        } catch {
            throw WorkerError(.listenFailed, "cannot serve metrics on \(host):\(port): \(error) "
                              + "(choose another --metrics-port/--metrics-listen)")
        }
        guard let address = channel.localAddress else {
            throw WorkerError(.listenFailed, "metrics listener on \(host):\(port) has no local address")
        }
        return MetricsServer(channel: channel, localAddress: address)
    }

    private init(channel: any Channel, localAddress: SocketAddress) {
        self.channel = channel
        self.localAddress = localAddress
    }

    /// Serves until graceful shutdown or cancellation, then closes the listener.
    public func run() async throws {
        let channel = self.channel
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    /// Stops serving.
    public func close() async {
        try? await channel.close()
    }
}
