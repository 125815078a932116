import PropcastErrors

/// Why a batch could not run or finish, with the exit status operators alert on.
public typealias BatchError = CodedError<BatchErrorCode>

/// What kind of batch step failed, for code that branches on it.
public enum BatchErrorCode: Sendable {
    /// Bad configuration or input (exit 2).
    case configuration
    /// Another coordinator holds this date's journal (exit 6).
    case alreadyRunning
    /// The feature store has nothing ready for the date (exit 4).
    case storeNotReady
    /// The quality gate holds the date: the store's average feature quality is below the
    /// minimum (exit 4, as not ready).
    case lowQuality
    /// No worker could be reached (exit 5).
    case noWorker
    /// The journal cannot be written, or is damaged (exit 7).
    case journal
    /// Stopped by a signal before anything was sent (exit 130 for SIGINT, 143 for SIGTERM).
    case interrupted(String)
}

extension BatchError {
    /// The exit status for this error.
    public var exitStatus: ExitStatus {
        switch code {
        case .configuration: .usage
        case .storeNotReady, .lowQuality: .storeNotReady
        case .noWorker: .noWorker
        case .alreadyRunning: .alreadyRunning
        case .journal: .journal
        case .interrupted(let signal): ExitStatus(stoppedBy: signal)
        }
    }
}
