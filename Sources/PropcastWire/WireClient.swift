import NIOCore
import NIOPosix
import PropcastTLS

/// Connects to a worker as a coordinator.
public enum WireClient {
    /// Opens TCP, completes mutual TLS (checking the worker's certificate against `host`),
    /// exchanges Hello/HelloAck, runs `body` with the established session and closes the
    /// connection when `body` returns or throws.
    /// - Throws: ``TLSError`` (certificate problems), ``WireError`` (refused, timed out,
    ///   protocol or version mismatch), NIO's connect error, or what `body` throws.
    public static func withSession<Result: Sendable>(
        host: String, port: Int, tls: TLSContext, nodeID: String, configuration: WireConfiguration,
        group: any EventLoopGroup, _ body: (CoordinatorSession) async throws -> Result
    ) async throws -> Result {
        let timeout = configuration.sessionSetupTimeout
        let (channel, handshake): (WireChannel, EventLoopFuture<TLSPeer>)
        do {
            (channel, handshake) = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshake = channel.eventLoop.makePromise(of: TLSPeer.self)
                        try WirePipeline.configure(channel, tls: tls.makeClientHandler(serverName: host),
                                                   configuration: configuration)
                        try channel.pipeline.syncOperations.addHandler(
                            HandshakeObserver(promise: handshake),
                            position: .after(channel.pipeline.syncOperations.handler(type: TLSHandler.self)))
                        return (try WireChannel(wrappingChannelSynchronously: channel), handshake.futureResult)
                    }
                }
        } catch {
            throw WireError.connectFailure(error, host: host, port: port)
        }
        return try await channel.executeThenClose { inbound, outbound in
            let peer = try await handshake.get()
            let session = try await establish(inbound: inbound, outbound: outbound, peer: peer, nodeID: nodeID,
                                              configuration: configuration, worker: "\(host):\(port)")
            return try await body(session)
        }
    }

    private static func establish(inbound: NIOAsyncChannelInboundStream<Envelope>,
                                  outbound: NIOAsyncChannelOutboundWriter<Envelope>, peer: TLSPeer, nodeID: String,
                                  configuration: WireConfiguration, worker: String) async throws -> CoordinatorSession {
        var state = CoordinatorSessionStateMachine(
            nodeID: nodeID,
            heartbeatIntervalMilliseconds: UInt32(clamping: configuration.heartbeatInterval.wholeMilliseconds),
            maxFrameBytes: UInt32(clamping: configuration.maxFrameBytes))
        try await outbound.write(state.start())
        var iterator = inbound.makeAsyncIterator()
        guard let reply = try await iterator.next() else {
            throw WireError(.closedByPeer, "worker \(worker) closed the connection before answering Hello "
                            + "(it may have refused this coordinator's certificate: check the worker's log)")
        }
        guard case .established(let worker, let ack) = try await CoordinatorSession.carryOutEnding(
            state.received(reply), outbound: outbound) else {
            throw WireError(.protocolViolation, "worker answered Hello with \(reply.bodyName)")
        }
        try await outbound.write(ack)
        return CoordinatorSession(worker: worker, peer: peer, state: state, iterator: iterator, outbound: outbound)
    }
}
