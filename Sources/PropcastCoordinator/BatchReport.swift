import Foundation
import PropcastModels

/// The outcome of one `batch run`/`retry`: what was done, what is covered, and the exit
/// code for schedulers (0 ok, 3 coverage below 90 %).
public struct BatchReport: Sendable {
    /// The game date of the run.
    public let date: GameDate
    /// The date's journal file.
    public let journalPath: String
    /// What this run did (counts, latencies).
    public let statistics: BatchStatistics
    /// What the journal covers after the run.
    public let coverage: CoverageReport
    /// Players the journal already held when the run started.
    public let alreadyComplete: Int
    /// Superseded records written (players whose lines changed).
    public let superseded: Int
    /// Workers refused for this batch (e.g. other model versions), with the reason.
    public let refusedWorkers: [String: String]
    /// The last error seen per worker address.
    public let workerErrors: [String: String]
    /// Wall time of the whole run.
    public let wallTime: Duration

    /// Coverage below this percentage makes the run exit 3.
    public static let minimumCoveragePercent = 90.0

    /// 0 when coverage ≥ 90 %, else 3.
    public var exitCode: Int32 { coverage.percent >= Self.minimumCoveragePercent ? 0 : 3 }

    private func row(_ label: String, _ value: Int) -> String {
        "  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + String(value).leftPadded(to: 8)
    }

    /// The summary table printed at the end of a run.
    public var summary: String {
        var lines: [String] = []
        let seconds = Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) / 1e18
        lines.append("batch \(date): \(String(format: "%.1f", coverage.percent))% coverage "
                     + "(\(coverage.completePlayers)/\(coverage.expectedPlayers) players) in \(String(format: "%.2f", seconds)) s")
        lines.append(row("players predicted", statistics.playersPredicted))
        lines.append(row("players already complete", alreadyComplete))
        lines.append(row("players skipped", statistics.playersSkipped))
        for (reason, count) in statistics.skipReasons.sorted(by: { $0.value > $1.value }) {
            lines.append("      \(count) × \(reason)")
        }
        lines.append(row("players failed", statistics.playersFailed))
        lines.append(row("players missing", coverage.missingPlayers))
        lines.append(row("predictions written", statistics.predictionsWritten))
        for system in SystemID.all {
            lines.append(row("    " + system.rawValue, statistics.predictionsBySystem[system] ?? 0))
        }
        lines.append(row("duplicates suppressed", statistics.duplicatesSuppressed))
        lines.append(row("superseded records", superseded))
        lines.append(row("retries", statistics.retries))
        lines.append(row("request timeouts", statistics.timeouts))
        if seconds > 0, statistics.predictionsWritten > 0 {
            lines.append(row("predictions / s", Int((Double(statistics.predictionsWritten) / seconds).rounded())))
        }
        let latency = statistics.latencyMicros
        if latency.totalCount > 0 {
            lines.append(String(format: "  request latency p50 / p99    %.2f / %.2f ms",
                                Double(latency.valueAtPercentile(50)) / 1000, Double(latency.valueAtPercentile(99)) / 1000))
        }
        lines.append("  workers used: \(statistics.workersConnected.sorted().joined(separator: ", "))")
        for (worker, reason) in refusedWorkers.sorted(by: { $0.key < $1.key }) {
            lines.append("  worker refused: \(worker): \(reason)")
        }
        for (worker, reason) in workerErrors.sorted(by: { $0.key < $1.key }) where refusedWorkers[worker] == nil {
            lines.append("  worker problem: \(worker): \(reason)")
        }
        lines.append("  journal: \(journalPath)")
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
