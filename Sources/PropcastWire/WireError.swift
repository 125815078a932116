import PropcastErrors

/// A protocol-level failure on one connection. The connection ends; the process does not.
public typealias WireError = CodedError<WireErrorCode>

/// What kind of protocol step failed, for code that branches on it.
public enum WireErrorCode: String, Sendable, Equatable {
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
