/// The exit status of every `propcast` command, as README's "Exit codes" lists them: what
/// scripts, systemd and alerting branch on.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done — also a date without scheduled games.
    case ok = 0
    /// Bad usage or configuration: an unknown option, an unreadable certificate, a missing
    /// model, a bad date, a store that cannot be read.
    case usage = 2
    /// The coverage SLA is broken (`batch run/retry/status`).
    case coverageBreached = 3
    /// The feature store is not ready for the date, or its quality is below the minimum.
    case storeNotReady = 4
    /// No worker could be reached.
    case noWorker = 5
    /// A batch for the date is already running (the journal's lock is held).
    case alreadyRunning = 6
    /// The journal cannot be written, or is damaged (the line is named).
    case journal = 7
    /// Stopped by SIGINT (128 + 2).
    case interrupted = 130
    /// Stopped by SIGTERM (128 + 15).
    case terminated = 143

    /// The status of a run stopped by the signal named `signal` (`SIGINT`, `SIGTERM`).
    public init(stoppedBy signal: String) {
        self = signal == "SIGTERM" ? .terminated : .interrupted
    }
}
