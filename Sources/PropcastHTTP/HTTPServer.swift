import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PropcastTLS

/// Answers one request; runs on the server's tasks, never on an event loop.
public typealias HTTPResponder = @Sendable (HTTPRequest) async -> HTTPResponse

/// A small HTTP/1.1 server on NIO's codec, optionally behind the pool's mutual TLS
/// (``TLSContext``): each connection is served by a task of its own, requests in order,
/// keep-alive honoured, bodies up to ``maxBodyBytes``.
public struct HTTPServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    /// Largest request body accepted (413 beyond).
    public static let maxBodyBytes = 1 << 20

    private let listener: NIOAsyncChannel<Connection, Never>
    /// The bound address (useful with port 0).
    public let localAddress: SocketAddress
    /// Whether connections speak TLS.
    public let usesTLS: Bool

    /// Binds `host:port` (port 0 picks one). With `tls`, every connection must complete a
    /// mutual-TLS handshake with a certificate the context accepts before HTTP is read.
    /// - Throws: ``HTTPError`` `.bindFailed` naming the address.
    public static func bind(host: String, port: Int, tls: TLSContext?, group: any EventLoopGroup) async throws -> HTTPServer {
        let listener: NIOAsyncChannel<Connection, Never>
        do {
            listener = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(tls.makeServerHandler()) }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        return try Connection(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw HTTPError(.bindFailed, "cannot serve HTTP on \(host):\(port): \(error) (choose another address or port)")
        }
        guard let address = listener.channel.localAddress else {
            throw HTTPError(.bindFailed, "HTTP listener on \(host):\(port) has no local address")
        }
        return HTTPServer(listener: listener, localAddress: address, usesTLS: tls != nil)
    }

    /// Serves connections with `respond` until the task is cancelled, then closes the listener.
    public func run(logger: Logger, respond: @escaping HTTPResponder) async throws {
        let listener = self.listener
        try await withTaskCancellationHandler {
            try await listener.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { tasks in
                    for try await connection in connections {
                        tasks.addTask {
                            do { try await Self.serve(connection, respond: respond) } catch {
                                logger.debug("HTTP connection ended", metadata: ["error": "\(error)"])
                            }
                        }
                    }
                }
            }
        } onCancel: {
            listener.channel.close(promise: nil)
        }
    }

    private static func serve(_ connection: Connection, respond: @escaping HTTPResponder) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                    tooLarge = false
                case .body(let buffer):
                    if body.count + buffer.readableBytes > maxBodyBytes { tooLarge = true } else { body += Array(buffer.readableBytesView) }
                case .end:
                    guard let requestHead = head else { continue }
                    head = nil
                    let response = tooLarge
                        ? HTTPResponse.problem(413, "request body over \(maxBodyBytes) bytes")
                        : await respond(HTTPRequest(method: requestHead.method.rawValue, target: requestHead.uri, body: body))
                    try await write(response, for: requestHead, to: outbound)
                    if !requestHead.isKeepAlive { return }
                }
            }
        }
    }

    private static func write(_ response: HTTPResponse, for request: HTTPRequestHead,
                              to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: "\(response.body.count)")
        headers.add(name: "Connection", value: request.isKeepAlive ? "keep-alive" : "close")
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: response.status)
        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
        if request.method != .HEAD {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
