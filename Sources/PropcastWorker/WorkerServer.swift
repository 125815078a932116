import Logging
import NIOCore
import NIOPosix
import PropcastTLS
import PropcastWire

/// The worker daemon's network side: listens with mutual TLS, runs one
/// ``WorkerConnection`` per coordinator, answers Hello and Ping, and hands prediction
/// requests to the executor within the worker-wide slot limit. A peer's bad bytes end that
/// peer's connection only. ``drain(reason:)`` stops accepting and drains every connection.
public struct WorkerServer: Sendable {
    private let server: WireServer
    private let identity: WorkerIdentity
    private let wire: WireConfiguration
    private let executor: (any PredictionExecutor)?
    private let slots: WorkerSlots
    private let registry = ConnectionRegistry()
    private let metrics: WorkerMetrics
    private let logger: Logger

    /// The bound address (useful when the configured port was 0).
    public var localAddress: SocketAddress { server.localAddress }

    /// Binds the listening socket.
    /// - Throws: ``WorkerError`` `.listenFailed` naming the address (e.g. address in use).
    public static func bind(configuration: WorkerConfiguration, tls: TLSContext, executor: (any PredictionExecutor)?,
                            group: any EventLoopGroup, logger: Logger,
                            metrics: WorkerMetrics = .disabled) async throws -> WorkerServer {
        let server: WireServer
        do {
            server = try await WireServer.bind(host: configuration.host, port: configuration.port, tls: tls,
                                               configuration: configuration.wire, group: group) { turnedAway, error in
                logger.error("""
                    out of file descriptors: turned away \(turnedAway) connection(s) since the last report; \
                    raise LimitNOFILE= in the unit or lower the coordinators' connections
                    """,
                             metadata: ["error": "\(error)"])
            }
        } catch {
            throw WorkerError(.listenFailed, "cannot listen on \(configuration.host):\(configuration.port): \(error) "
                              + "(choose another --listen address or stop the process using it)")
        }
        let identity = WorkerIdentity(nodeID: configuration.nodeID, slots: UInt32(configuration.slots),
                                      modelVersions: executor?.modelVersions ?? [],
                                      softwareVersion: PropcastVersion.current,
                                      maxFrameBytes: UInt32(configuration.wire.maxFrameBytes),
                                      maxBatchRequests: UInt32(configuration.maxBatchRequests))
        return WorkerServer(server: server, identity: identity, wire: configuration.wire, executor: executor,
                            slots: WorkerSlots(capacity: configuration.slots), metrics: metrics, logger: logger)
    }

    private init(server: WireServer, identity: WorkerIdentity, wire: WireConfiguration,
                 executor: (any PredictionExecutor)?, slots: WorkerSlots, metrics: WorkerMetrics, logger: Logger) {
        self.server = server
        self.identity = identity
        self.wire = wire
        self.executor = executor
        self.slots = slots
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves connections until the listener closes (``drain(reason:)``, ``stop()``) and
    /// every connection has ended, or the task is cancelled.
    public func run() async throws {
        try await server.serve { channel in
            await handle(channel)
        }
    }

    /// Stops accepting connections and sends Drain on every open one; each finishes its
    /// in-flight work, says Goodbye(DRAINED) and closes, after which ``run()`` returns.
    /// Returns how many connections were open and how many requests they had in flight.
    @discardableResult
    public func drain(reason: String) async -> (connections: Int, inFlight: Int) {
        await server.close()
        return await registry.drainAll(reason: reason)
    }

    /// Closes every connection still open, answered or not (after a drain deadline);
    /// returns how many there were.
    @discardableResult
    public func abandonConnections(reason: String) async -> Int {
        await registry.abandonAll(reason: reason)
    }

    /// Stops accepting connections (open ones carry on).
    public func stop() async {
        await server.close()
    }

    /// Connections open now.
    public var connectionCount: Int {
        get async { await registry.count }
    }

    private func handle(_ channel: WireChannel) async {
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(channel.channel.remoteAddress?.hostAndPort ?? "?")"
        logger.info("connection accepted")
        metrics.connections.increment()
        defer { metrics.connections.decrement() }
        do {
            let reason = try await channel.executeThenClose { inbound, outbound in
                let connection = WorkerConnection(identity: identity, wire: wire, outbound: outbound,
                                                  channel: channel.channel, executor: executor, slots: slots,
                                                  metrics: metrics, logger: logger)
                await registry.register(connection)
                let failure = await Self.serve(inbound, on: connection)
                await registry.unregister(connection)
                if let failure { throw failure }
                return await connection.closeReason ?? "closed"
            }
            logger.info("connection closed", metadata: ["reason": "\(reason)"])
        } catch let error as TLSError {
            logger.warning("connection refused", metadata: ["reason": "\(error)"])
        } catch {
            logger.warning("connection failed", metadata: ["reason": "\(error)"])
        }
    }

    /// Feeds inbound envelopes to the connection until it closes. A ``WireError`` ends the
    /// session with a Goodbye; any other error (TLS, I/O) is returned for the log.
    private static func serve(_ inbound: NIOAsyncChannelInboundStream<Envelope>,
                              on connection: WorkerConnection) async -> (any Error)? {
        do {
            for try await envelope in inbound {
                await connection.received(envelope)
                if await connection.isClosed { break }
            }
            // No-op when the session ended itself; otherwise the peer hung up, and answers
            // of requests still running have nowhere to go.
            await connection.abandon(reason: "the peer closed the connection")
            return nil
        } catch let error as WireError {
            await connection.failed(error)
            return nil
        } catch {
            await connection.abandon(reason: "\(error)")
            return error
        }
    }
}

/// The build's version string, announced in Hello.
public enum PropcastVersion {
    /// The release number (`propcast --version`, `propcast_build_info{version}`).
    public static let number = "0.1.0"
    /// As announced in Hello.
    public static let current = "propcast \(number)"
}
