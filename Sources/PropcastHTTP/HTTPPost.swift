import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one `POST` with a JSON body to an `http://` URL and returns the answer's status: what
/// alert webhooks need and no more. (`https://` endpoints are reached through an alert
/// command, e.g. `curl`, or a local relay: the pool's TLS stack verifies pool certificates only.)
public struct HTTPPost: Sendable {
    /// Where to send: host, port, path with query.
    public let host: String
    public let port: Int
    public let target: String
    /// The URL as given, for messages.
    public let url: String

    /// Parses `url`.
    /// - Throws: ``HTTPError`` `.unsupportedURL` for anything but `http://HOST[:PORT][/PATH]`.
    public init(url: String) throws {
        guard url.hasPrefix("http://") else {
            throw HTTPError(.unsupportedURL, "webhook \(url): only http:// URLs are sent directly; "
                            + "for https use --alert-command (e.g. curl) or a local relay")
        }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority)
        var port = 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw HTTPError(.unsupportedURL, "webhook \(url): the port is not a number 1–65535")
            }
            port = number
            host = String(authority[..<colon])
        }
        host = host.trimmingCharacters(in: ["[", "]"])
        guard !host.isEmpty else { throw HTTPError(.unsupportedURL, "webhook \(url): no host") }
        self.host = host
        self.port = port
        self.target = path.isEmpty ? "/" : String(path)
        self.url = url
    }

    /// Posts `body` as `application/json`; the answer's status code.
    /// - Throws: ``HTTPError`` `.requestFailed` when nothing or no whole answer came back within `timeout`.
    public func send(_ body: [UInt8], timeout: Duration = .seconds(10),
                     group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Int {
        do {
            return try await withThrowingTaskGroup(of: Int.self) { tasks in
                tasks.addTask { try await self.exchange(body, group: group) }
                tasks.addTask {
                    try await Task.sleep(for: timeout)
                    throw HTTPError(.requestFailed, "no answer within \(timeout)")
                }
                defer { tasks.cancelAll() }
                return try await tasks.next()!
            }
        } catch let error as HTTPError {
            throw HTTPError(.requestFailed, "POST \(url): \(error.description)")
        } catch {
            throw HTTPError(.requestFailed, "POST \(url): \(error)")
        }
    }

    private func exchange(_ body: [UInt8], group: any EventLoopGroup) async throws -> Int {
        let channel = try await ClientBootstrap(group: group)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: port == 80 ? host : "\(host):\(port)")
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: "\(body.count)")
            headers.add(name: "Connection", value: "close")
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: target, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            var status: Int?
            for try await part in inbound {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body: continue
                case .end: if let status { return status }
                }
            }
            throw HTTPError(.requestFailed, "the connection closed before a whole answer")
        }
    }
}
