/// A worker daemon failure that stops it from starting or serving: what, where, what to do.
public struct WorkerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What failed.
    public enum Code: String, Sendable, Equatable {
        /// A listening socket (protocol or metrics) could not be opened.
        case listenFailed
        /// The model directory could not be loaded.
        case modelsUnavailable
    }

    /// What failed.
    public let code: Code
    /// What happened, where, and what to do about it.
    public let description: String

    /// Creates an error.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
