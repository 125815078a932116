import Foundation
import Synchronization

/// Shows progress on stderr: a redrawn bar on a terminal (log lines go above it, through
/// ``StderrLines``), a plain line every few seconds otherwise (logs, systemd journal). Its
/// last frame stays on screen.
public final class ProgressDisplay: Sendable {
    private let interactive: Bool
    private let state = Mutex<(lastPrinted: ContinuousClock.Instant?, lastText: String?)>((nil, nil))
    private static let plainInterval = Duration.seconds(5)

    /// `interactive`: stderr is a terminal (redraw a bar) rather than a log.
    public init(interactive: Bool) {
        self.interactive = interactive
    }

    /// `done` of `total` `unit`, with a detail after the counts.
    public func show(done: Int, of total: Int, unit: String, detail: String) {
        let fraction = total == 0 ? 1 : min(1, Double(done) / Double(total))
        let text = "\(done)/\(total) \(unit)  \(detail)"
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            StderrLines.shared.setStatus("[\(bar)] \(String(format: "%3.0f%%", fraction * 100)) \(text)")
        } else {
            let now = ContinuousClock.now
            let due = state.withLock { state -> Bool in
                guard state.lastPrinted.map({ now - $0 >= Self.plainInterval }) ?? true else {
                    state.lastText = text  // printed by finish() if nothing comes after it
                    return false
                }
                state.lastPrinted = now
                state.lastText = nil
                return true
            }
            if due { StderrLines.shared.write(line: "progress: \(text)") }
        }
    }

    /// Ends the display: the bar's last frame stays on its own line; without a terminal the
    /// last state is printed if it was not yet.
    public func finish() {
        if interactive {
            StderrLines.shared.keepStatus()
        } else {
            let unprinted: String? = state.withLock { state in
                defer { state.lastText = nil }
                return state.lastText
            }
            if let unprinted { StderrLines.shared.write(line: "progress: \(unprinted)") }
        }
    }
}
