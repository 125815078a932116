import PropcastErrors

/// What went wrong serving or sending HTTP.
public enum HTTPErrorCode: Sendable, Hashable {
    /// The listener could not be bound.
    case bindFailed
    /// A URL this module cannot send to (not `http://HOST[:PORT]/PATH`).
    case unsupportedURL
    /// The request could not be sent or no complete answer came back in time.
    case requestFailed
}

/// The error of the HTTP module: what, where and what to do.
public typealias HTTPError = CodedError<HTTPErrorCode>
