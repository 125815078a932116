import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// A tiny HTTP/1.1 server (NIO's codec) that exposes a Prometheus registry at
/// `GET /metrics`. A `Service`: it runs until a graceful shutdown closes it.
public struct MetricsServer: Service {
    private let channel: any Channel
    /// The bound address (useful with port 0).
    public let localAddress: SocketAddress

    /// Binds `host:port` (port 0 picks a free port).
    /// - Throws: ``WorkerError`` `.listenFailed` naming the address.
    public static func bind(host: String, port: Int, registry: PrometheusCollectorRegistry,
                            group: any EventLoopGroup) async throws -> MetricsServer {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(registry: registry))
                    }
                }
                .bind(host: host, port: port).get()
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
