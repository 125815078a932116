import Glibc
import NIOCore
import Synchronization

/// A TCP listening socket the process opens itself (so it knows the descriptor), for a NIO
/// server bootstrap to adopt with ``AcceptOverloadHandler`` on its channel.
public struct ListeningSocket: Sendable {
    /// The listening descriptor (owned by the NIO channel once adopted).
    public let descriptor: Int32

    /// Resolves `host`, binds `host:port` with SO_REUSEADDR and listens with `backlog`.
    /// - Throws: ``WireError`` `.listenFailed` naming the address and the system's reason.
    public static func open(host: String, port: Int, backlog: Int32 = 256) throws -> ListeningSocket {
        let address: SocketAddress
        do { address = try SocketAddress.makeAddressResolvingHost(host, port: port) } catch {
            throw WireError(.listenFailed, "cannot resolve \(host): \(error)")
        }
        let family = address.protocol.rawValue
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw WireError(.listenFailed, "cannot open a socket for \(host):\(port): \(Self.reason())") }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { bind(fd, $0, socklen_t($1)) }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let reason = Self.reason()
            Glibc.close(fd)
            throw WireError(.listenFailed, "cannot listen on \(host):\(port): \(reason)")
        }
        return ListeningSocket(descriptor: fd)
    }

    private static func reason() -> String { String(cString: strerror(errno)) }
}

/// On a listening channel: when `accept` fails for lack of file descriptors (EMFILE,
/// ENFILE), NIO keeps the socket registered for reading, so the same pending connection
/// would wake the event loop again at once — a spinning core until connections close.
/// This handler frees a reserved descriptor, accepts the pending connection and closes it
/// immediately (its peer sees the connection closed and retries later), takes the reserve
/// back, and reports at most once per interval how many connections it turned away.
public final class AcceptOverloadHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = any Channel
    private let listening: Int32
    private let reserve: Mutex<Int32>
    private let report: @Sendable (_ turnedAway: Int, _ error: String) -> Void
    private let interval: Duration
    private let tally = Mutex<(count: Int, since: ContinuousClock.Instant?)>((0, nil))

    /// Guards `listening`; `report` is called at most once per `interval` while overloaded.
    public init(listening: ListeningSocket, interval: Duration = .seconds(10),
                report: @escaping @Sendable (_ turnedAway: Int, _ error: String) -> Void) {
        self.listening = listening.descriptor
        self.reserve = Mutex(Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC))
        self.interval = interval
        self.report = report
    }

    deinit {
        let fd = reserve.withLock { $0 }
        if fd >= 0 { Glibc.close(fd) }
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let io = error as? IOError, io.errnoCode == EMFILE || io.errnoCode == ENFILE {
            turnAway(io)
        }
        context.fireErrorCaught(error)
    }

    private func turnAway(_ error: IOError) {
        reserve.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            let accepted = accept(listening, nil, nil)
            if accepted >= 0 { Glibc.close(accepted) }
            fd = Glibc.open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        let now = ContinuousClock.now
        let due = tally.withLock { tally -> Int? in
            tally.count += 1
            guard let since = tally.since, now - since < interval else {
                defer { tally = (0, now) }
                return tally.count
            }
            return nil
        }
        if let due { report(due, "\(error)") }
    }
}
