import Foundation
import PropcastCoordinator
import Synchronization

/// Shows batch progress on stderr: a redrawn bar on a terminal, a plain line every few
/// seconds otherwise (logs, systemd journal).
final class ProgressDisplay: Sendable {
    private let interactive: Bool
    private let lastPrinted = Mutex<ContinuousClock.Instant?>(nil)
    private static let plainInterval = Duration.seconds(5)

    init(interactive: Bool) {
        self.interactive = interactive
    }

    func show(_ progress: BatchProgress) {
        let seconds = max(0.001, Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18)
        let rate = Double(progress.finished) / seconds
        let remaining = max(0, progress.total - progress.finished)
        let eta = rate > 0 ? String(format: "%.0fs", Double(remaining) / rate) : "?"
        let fraction = progress.total == 0 ? 1 : Double(progress.finished) / Double(progress.total)
        let text = String(format: "%d/%d players  %.0f/s  ETA %@  workers up %d", progress.finished, progress.total, rate,
                          eta as NSString, progress.workersUp)
        if interactive {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r[\(bar)] \(text)\u{1B}[K")
        } else {
            let now = ContinuousClock.now
            let due = lastPrinted.withLock { last -> Bool in
                guard last.map({ now - $0 >= Self.plainInterval }) ?? true else { return false }
                last = now
                return true
            }
            if due { write("progress: \(text)\n") }
        }
    }

    func clear() {
        if interactive { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
