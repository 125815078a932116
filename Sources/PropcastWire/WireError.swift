/// A protocol-level failure on one connection. The connection ends; the process does not.
public struct WireError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable, Equatable {
        /// A frame header announced more bytes than the configured limit.
        case frameTooLarge
        /// A frame's payload is not a valid Envelope.
        case malformedEnvelope
        /// A well-formed message that is not allowed here (wrong state, unknown body, wrong role).
        case protocolViolation
        /// The peers share no protocol version.
        case versionMismatch
        /// The peer said Goodbye or closed the connection.
        case closedByPeer
        /// No frame arrived within the idle or session-setup timeout.
        case timedOut
        /// The connection could not be established.
        case connectFailed
        /// The listening socket could not be opened.
        case listenFailed
    }

    /// The kind of failure, for code that branches on it.
    public let code: Code
    /// What happened, where, and what to do about it.
    public let description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
