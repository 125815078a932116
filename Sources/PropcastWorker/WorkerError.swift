import PropcastErrors

/// A worker daemon failure that stops it from starting or serving: what, where, what to do.
public typealias WorkerError = CodedError<WorkerErrorCode>

/// What kind of worker start-up step failed, for code that branches on it.
public enum WorkerErrorCode: String, Sendable, Equatable {
    /// A listening socket (protocol or metrics) could not be opened.
    case listenFailed
    /// The model directory could not be loaded.
    case modelsUnavailable
}
