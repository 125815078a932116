import Glibc
import PropcastModels

/// Everything the journal module throws. Each description says what failed, where, and
/// what to do about it.
public enum JournalError: Error, Sendable, CustomStringConvertible {
    /// Another process holds the date's writer lock.
    case locked(date: GameDate, pid: Int32?, lockPath: String)
    /// The journal has a bad line before its end; it is never cut automatically.
    case corrupt(path: String, defect: JournalDefect)
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// A Foundation file operation failed; `reason` is its error.
    case fileSystem(path: String, operation: String, reason: String)
    /// A record cannot be journaled as given.
    case invalidEntry(String)
    /// An earlier write or sync failed, so nothing after it can be trusted as durable.
    case writerFailed(path: String, cause: String)
    /// The writer was closed.
    case closed(path: String)

    /// What failed, where, and what to do.
    public var description: String {
        switch self {
        case .locked(let date, let pid, let lockPath):
            "batch for \(date) already running (pid \(pid.map(String.init) ?? "unknown")): \(lockPath) is locked; "
                + "wait for that run to finish or stop it"
        case .corrupt(let path, let defect):
            "journal \(path): \(defect); it is damaged before its end and will not be cut automatically — "
                + "run `propcast journal verify` and restore the file from a copy"
        case .io(let path, let operation, let errno):
            "journal \(path): \(operation) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        case .fileSystem(let path, let operation, let reason):
            "journal \(path): \(operation) failed: \(reason)"
        case .invalidEntry(let why):
            "journal record rejected: \(why)"
        case .writerFailed(let path, let cause):
            "journal \(path): an earlier write failed (\(cause)); durability is unknown — reopen the journal "
                + "(the torn tail is cut on open) and resubmit"
        case .closed(let path):
            "journal \(path): the writer is closed; open it again to append"
        }
    }
}
