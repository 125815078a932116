import NIOCore
import NIOPosix

/// HTTP/1.1 requests written by hand over plain TCP (NIO `ClientBootstrap`), so the
/// metrics endpoint is checked against bytes, not against an HTTP client's opinion.
enum RawHTTP {
    /// Sends `METHOD path` with `Connection: close` and returns the whole response text.
    static func request(_ path: String, method: String = "GET", port: Int) async throws -> String {
        try await exchange("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", port: port)
    }

    /// Writes `text` to `127.0.0.1:port` and reads until the server closes.
    static func exchange(_ text: String, port: Int) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: text))
            var response = ""
            for try await chunk in inbound {
                response += String(buffer: chunk)
            }
            return response
        }
    }
}
