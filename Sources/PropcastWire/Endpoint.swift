import NIOCore

/// A `HOST:PORT` address of a worker (`[v6]:PORT` for IPv6 literals).
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[V6]:PORT`, or `HOST` alone when `defaultPort` is given.
    /// - Throws: ``WireError`` naming the text when it is not an address.
    public init(parsing text: String, defaultPort: Int? = nil) throws {
        let invalid = WireError(.connectFailed, "'\(text)' is not HOST:PORT (e.g. 10.0.0.5:7420 or [::1]:7420)")
        var hostPart = Substring(text)
        var portPart: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw invalid }
                portPart = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, !hostPart.contains(" ") else { throw invalid }
        if let portPart {
            guard let port = Int(portPart), (0...65535).contains(port) else { throw invalid }
            self.port = port
        } else if let defaultPort {
            self.port = defaultPort
        } else {
            throw invalid
        }
        self.host = String(hostPart)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The default worker port (`propcast worker --listen` without a port means this one too).
    public static let defaultWorkerPort = 7420

    /// Parses a worker address, `HOST` alone meaning ``defaultWorkerPort``; `defaulted` is
    /// true when the port was taken from the default (say so: `localhost → localhost:7420`).
    public static func worker(parsing text: String) throws -> (endpoint: Endpoint, defaulted: Bool) {
        if let explicit = try? Endpoint(parsing: text) { return (explicit, false) }
        return (try Endpoint(parsing: text, defaultPort: defaultWorkerPort), true)
    }
}


extension Endpoint {
    /// The endpoint of a resolved socket address (`127.0.0.1:7420`), or nil for Unix sockets.
    public init?(_ address: SocketAddress) {
        guard let host = address.ipAddress, let port = address.port else { return nil }
        self.init(host: host, port: port)
    }
}

extension SocketAddress {
    /// `HOST:PORT` for logs, without NIO's `[IPv4]` decoration.
    public var hostAndPort: String { Endpoint(self)?.description ?? "\(self)" }
}
