import Logging
import NIOCore
import NIOPosix
import PropcastTLS
import PropcastWire

/// The worker daemon's network side: listens with mutual TLS, runs one
/// ``WorkerConnection`` per coordinator, answers Hello and Ping, and hands prediction
/// requests to the executor. A peer's bad bytes end that peer's connection only.
public struct WorkerServer: Sendable {
    private let server: WireServer
    private let configuration: WorkerConfiguration
    private let identity: WorkerIdentity
    private let executor: (any PredictionExecutor)?
    private let logger: Logger

    /// The bound address (useful when the configured port was 0).
    public var localAddress: SocketAddress { server.localAddress }

    /// Binds the listening socket.
    /// - Throws: the bind error (e.g. address in use), naming the address.
    public static func bind(configuration: WorkerConfiguration, tls: TLSContext, executor: (any PredictionExecutor)?,
                            group: any EventLoopGroup, logger: Logger) async throws -> WorkerServer {
        let server: WireServer
        do {
            server = try await WireServer.bind(host: configuration.host, port: configuration.port, tls: tls,
                                               configuration: configuration.wire, group: group)
        } catch {
            throw WireError(.connectFailed, "cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        let identity = WorkerIdentity(nodeID: configuration.nodeID, slots: UInt32(configuration.slots),
                                      modelVersions: executor?.modelVersions ?? [],
                                      softwareVersion: PropcastVersion.current,
                                      maxFrameBytes: UInt32(configuration.wire.maxFrameBytes))
        return WorkerServer(server: server, configuration: configuration, identity: identity, executor: executor,
                            logger: logger)
    }

    private init(server: WireServer, configuration: WorkerConfiguration, identity: WorkerIdentity,
                 executor: (any PredictionExecutor)?, logger: Logger) {
        self.server = server
        self.configuration = configuration
        self.identity = identity
        self.executor = executor
        self.logger = logger
    }

    /// Serves connections until the listener closes or the task is cancelled.
    public func run() async throws {
        let identity = self.identity
        let executor = self.executor
        let logger = self.logger
        try await server.serve { channel in
            await Self.handle(channel, identity: identity, executor: executor, logger: logger)
        }
    }

    /// Stops accepting connections.
    public func stop() async {
        await server.close()
    }

    private static func handle(_ channel: WireChannel, identity: WorkerIdentity, executor: (any PredictionExecutor)?,
                               logger baseLogger: Logger) async {
        var logger = baseLogger
        logger[metadataKey: "peer"] = "\(channel.channel.remoteAddress?.hostAndPort ?? "?")"
        logger.info("connection accepted")
        do {
            try await channel.executeThenClose { inbound, outbound in
                let connection = WorkerConnection(identity: identity, outbound: outbound, executor: executor,
                                                  logger: logger)
                do {
                    for try await envelope in inbound {
                        await connection.received(envelope)
                        if await connection.isClosed { break }
                    }
                } catch let error as WireError {
                    await connection.failed(error)
                }
            }
        } catch {
            logger.warning("connection refused or failed", metadata: ["reason": "\(error)"])
        }
    }
}

/// The build's version string, announced in Hello.
public enum PropcastVersion {
    public static let current = "propcast 0.1.0"
}
