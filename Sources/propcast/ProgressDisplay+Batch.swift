import Foundation
import PropcastConsole
import PropcastCoordinator

extension ProgressDisplay {
    /// A batch's progress: players, rate, ETA, workers up.
    func show(_ progress: BatchProgress) {
        let seconds = max(0.001, progress.elapsed / .seconds(1))
        let rate = Double(progress.finished) / seconds
        let remaining = max(0, progress.total - progress.finished)
        let eta = rate > 0 ? String(format: "%.0fs", Double(remaining) / rate) : "?"
        show(done: progress.finished, of: progress.total, unit: "players",
             detail: String(format: "%.0f/s  ETA %@  workers up %d", rate, eta as NSString, progress.workersUp))
    }
}
