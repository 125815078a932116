import Foundation
import Synchronization

/// The process's stderr, shared by a redrawn status line (the progress bar) and whole lines
/// (logs, warnings): a line clears the status line, is written, and the status line is drawn
/// again under it, so neither overwrites the other.
public final class StderrLines: Sendable {
    /// The one instance: every writer of the process goes through it.
    public static let shared = StderrLines()
    private let statusLine = Mutex<String?>(nil)

    /// Writes `line` (a newline is added) above the status line.
    public func write(line: String) {
        statusLine.withLock { status in
            var text = status == nil ? "" : "\r\u{1B}[K"
            text += line.hasSuffix("\n") ? line : line + "\n"
            if let status { text += status }
            Self.put(text)
        }
    }

    /// Draws `status` in place of the current status line; nil removes it.
    public func setStatus(_ status: String?) {
        statusLine.withLock { current in
            current = status
            Self.put("\r" + (status ?? "") + "\u{1B}[K")
        }
    }

    /// Leaves the status line on screen as it is and ends it with a newline.
    public func keepStatus() {
        statusLine.withLock { current in
            guard current != nil else { return }
            current = nil
            Self.put("\n")
        }
    }

    private static func put(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
