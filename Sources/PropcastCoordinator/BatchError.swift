/// Why a batch could not run or finish, with the process exit code operators alert on.
public struct BatchError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable {
        /// Bad configuration or input (exit 2).
        case configuration
        /// Another coordinator holds this date's journal (exit 6).
        case alreadyRunning
        /// The feature store has nothing ready for the date (exit 4).
        case storeNotReady
        /// No worker could be reached (exit 5).
        case noWorker
        /// The journal cannot be written, or is damaged (exit 7).
        case journal
        /// Stopped by a signal before anything was sent (exit 130 for SIGINT, 143 for SIGTERM).
        case interrupted(String)
    }

    /// The kind of failure, for code that branches on it.
    public let code: Code
    public let description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The exit code for this error (see README: exit codes).
    public var exitCode: Int32 {
        switch code {
        case .configuration: return 2
        case .storeNotReady: return 4
        case .noWorker: return 5
        case .alreadyRunning: return 6
        case .journal: return 7
        case .interrupted(let signal): return BatchReport.exitCode(forSignal: signal)
        }
    }
}
