import Glibc
import NIOCore
import NIOPosix
import PropcastTLS

/// One accepted connection after TCP accept, before TLS completes: its inbound stream
/// yields envelopes once the handshake has succeeded, or throws the ``TLSError`` /
/// ``WireError`` that ended it.
public typealias WireChannel = NIOAsyncChannel<Envelope, Envelope>

/// A listening socket that wraps every accepted connection in the Propcast pipeline
/// (server-side TLS, framing, envelope codec) and hands it to a connection handler.
public struct WireServer: Sendable {
    private let listener: NIOAsyncChannel<WireChannel, Never>
    /// The address actually bound (useful with port 0).
    public let localAddress: SocketAddress

    /// Binds `host:port` (port 0 picks a free port). At the open-files limit the listener
    /// turns connections away instead of spinning (``AcceptOverloadHandler``), calling
    /// `overloaded` at most every 10 s with how many it turned away.
    /// - Throws: ``WireError`` `.listenFailed`, e.g. address in use.
    public static func bind(host: String, port: Int, tls: TLSContext, configuration: WireConfiguration,
                            group: any EventLoopGroup,
                            overloaded: @escaping @Sendable (_ turnedAway: Int, _ error: String) -> Void = { _, _ in })
        async throws -> WireServer {
        let socket = try ListeningSocket.open(host: host, port: port)
        let listener: NIOAsyncChannel<WireChannel, Never>
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AcceptOverloadHandler(listening: socket, report: overloaded))
                    }
                }
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .bind(socket.descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try WirePipeline.configure(channel, tls: tls.makeServerHandler(), configuration: configuration)
                        return try WireChannel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            Glibc.close(socket.descriptor)
            throw WireError(.listenFailed, "cannot serve on \(host):\(port): \(error)")
        }
        guard let address = listener.channel.localAddress else {
            throw WireError(.listenFailed, "listener on \(host):\(port) has no local address")
        }
        return WireServer(listener: listener, localAddress: address)
    }

    private init(listener: NIOAsyncChannel<WireChannel, Never>, localAddress: SocketAddress) {
        self.listener = listener
        self.localAddress = localAddress
    }

    /// Accepts connections until the listener is closed or the task is cancelled, running
    /// `handler` for each in its own child task. A failing connection never affects others.
    public func serve(_ handler: @escaping @Sendable (WireChannel) async -> Void) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { inbound in
                for try await connection in inbound {
                    group.addTask { await handler(connection) }
                }
            }
        }
    }

    /// Stops accepting new connections (existing ones carry on).
    public func close() async {
        try? await listener.channel.close()
    }
}
