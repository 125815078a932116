import CLibPQ
import Foundation
import Glibc

/// `LISTEN` on one channel of its own connection, waiting for `NOTIFY` payloads.
/// Blocking: run ``wait(timeout:)`` on a thread of its own, not on an event loop.
public final class PostgresListener: Sendable {
    /// One notification: the channel and its payload (`NOTIFY channel, 'payload'`).
    public struct Notification: Sendable, Hashable {
        public var channel: String
        public var payload: String
    }

    /// The connection, used only for listening.
    public let connection: PostgresConnection
    /// The channel listened to.
    public let channel: String

    /// Connects and runs `LISTEN channel`. Throws ``PostgresError``.
    public init(url: PostgresURL, channel: String) throws {
        connection = try PostgresConnection(url: url)
        self.channel = channel
        let quoted = "\"" + channel.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try connection.execute("LISTEN \(quoted)", operation: "LISTEN \(channel)")
    }

    /// The notifications that arrive within `timeout` (empty when none did). Throws
    /// ``PostgresError`` `.unreachable` when the connection is lost (make a new listener).
    public func wait(timeout: Duration) throws -> [Notification] {
        let milliseconds = Int32(clamping: Int(timeout / .milliseconds(1)))
        return try connection.withConnection { pointer in
            var arrived = try drain(pointer)
            guard arrived.isEmpty else { return arrived }
            var socket = pollfd(fd: PQsocket(pointer), events: Int16(POLLIN), revents: 0)
            guard socket.fd >= 0 else { throw lost(pointer) }
            let ready = poll(&socket, 1, milliseconds)
            if ready > 0 {
                guard PQconsumeInput(pointer) == 1 else { throw lost(pointer) }
                arrived = try drain(pointer)
            }
            return arrived
        }
    }

    private func drain(_ pointer: OpaquePointer) throws -> [Notification] {
        var arrived: [Notification] = []
        while let notice = PQnotifies(pointer) {
            arrived.append(Notification(channel: String(cString: notice.pointee.relname),
                                        payload: String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        if PQstatus(pointer) != CONNECTION_OK { throw lost(pointer) }
        return arrived
    }

    private func lost(_ pointer: OpaquePointer) -> PostgresError {
        PostgresError(.unreachable, "\(connection.url.masked): LISTEN \(channel): the connection was lost: "
                      + "\(PostgresConnection.firstLine(PQerrorMessage(pointer))) (the listener reconnects)")
    }
}
