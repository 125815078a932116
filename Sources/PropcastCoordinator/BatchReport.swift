import Foundation
import PropcastModels

/// The outcome of one `batch run`/`retry`: what was done, what is covered, and the exit
/// code for schedulers (0 ok, 3 coverage SLA broken, 130/143 interrupted).
public struct BatchReport: Sendable {
    /// The game date of the run.
    public let date: GameDate
    /// The date's journal file.
    public let journalPath: String
    /// `finished`, `interrupted` (SIGINT/SIGTERM), `abandoned` (no worker left) or `no_games`.
    public let outcome: String
    /// What this run did (counts, latencies).
    public let statistics: BatchStatistics
    /// What the journal covers after the run.
    public let coverage: CoverageReport
    /// The coverage SLA rules the result breaks (empty: within the SLA).
    public let slaViolations: [String]
    /// Players the journal already held when the run started.
    public let alreadyComplete: Int
    /// Superseded records written (players whose inputs, lines or models changed).
    public let superseded: Int
    /// Workers refused for this batch (other model versions, invalid answers), with the reason.
    public let refusedWorkers: [String: String]
    /// The last error seen per worker address.
    public let workerErrors: [String: String]
    /// Wall time of the whole run.
    public let wallTime: Duration
    /// Conditions the run went on despite (e.g. low feature quality allowed), readable.
    public var notes: [String] = []

    /// Creates a report.
    public init(date: GameDate, journalPath: String, outcome: String, statistics: BatchStatistics, coverage: CoverageReport,
                slaViolations: [String], alreadyComplete: Int, superseded: Int, refusedWorkers: [String: String],
                workerErrors: [String: String], wallTime: Duration) {
        self.date = date
        self.journalPath = journalPath
        self.outcome = outcome
        self.statistics = statistics
        self.coverage = coverage
        self.slaViolations = slaViolations
        self.alreadyComplete = alreadyComplete
        self.superseded = superseded
        self.refusedWorkers = refusedWorkers
        self.workerErrors = workerErrors
        self.wallTime = wallTime
    }

    /// The report of a date with no scheduled games: nothing to do, exit 0.
    init(noGamesOn date: GameDate, journalPath: String) {
        self.init(date: date, journalPath: journalPath, outcome: "no_games", statistics: BatchStatistics(playersToPredict: 0),
                  coverage: CoverageReport(expectations: [], unreadable: [:], index: .init(), expectedPlayers: 0),
                  slaViolations: [], alreadyComplete: 0, superseded: 0, refusedWorkers: [:], workerErrors: [:],
                  wallTime: .zero)
    }

    /// `ok` within the SLA or with no games; `coverageBreached` when an SLA rule is broken. An
    /// interrupted run's status is the signal's (``ExitStatus/init(stoppedBy:)``), chosen by the caller.
    public var exitStatus: ExitStatus { slaViolations.isEmpty ? .ok : .coverageBreached }

    private func row(_ label: String, _ value: Int) -> String {
        "  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + String(value).leftPadded(to: 8)
    }

    /// The summary table printed at the end of a run.
    public var summary: String {
        if outcome == "no_games" { return "no games scheduled on \(date): nothing to predict" }
        var lines: [String] = []
        let seconds = Double(wallTime.components.seconds) + Double(wallTime.components.attoseconds) / 1e18
        let state = outcome == "finished" ? "" : " (\(outcome.uppercased()))"
        lines.append("batch \(date)\(state): \(String(format: "%.1f", coverage.coveragePercent))% coverage "
                     + "(\(coverage.coveredPlayers)/\(coverage.expectedPlayers) players covered) in \(String(format: "%.2f", seconds)) s")
        for note in notes { lines.append("  NOTE: \(note)") }
        lines.append(row("players predicted", statistics.playersPredicted))
        lines.append(row("players already complete", alreadyComplete))
        lines.append(contentsOf: CoverageText.gapLines(coverage))
        lines.append(row("predictions written", statistics.predictionsWritten))
        for system in SystemID.all {
            lines.append(row("    " + system.rawValue, statistics.predictionsBySystem[system] ?? 0))
        }
        lines.append(row("predictions in journal", coverage.predictions))
        lines.append(row("duplicates suppressed", statistics.duplicatesSuppressed))
        lines.append(row("superseded records", superseded))
        lines.append(row("retries", statistics.retries))
        lines.append(row("request timeouts", statistics.timeouts))
        lines.append(row("incomplete answers (retried)", statistics.incompleteAnswers))
        lines.append(row("invalid answers (refused)", statistics.invalidAnswers))
        lines.append(row("request frames", statistics.framesSent))
        lines.append(row("journal syncs", Int(statistics.journalSyncs)))
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
        for (worker, offence) in statistics.invalidAnswersByWorker.sorted(by: { $0.key < $1.key })
        where refusedWorkers[worker] == nil {
            lines.append("  worker misbehaved: \(worker): \(offence.count) invalid answer(s), last: \(offence.lastReason)")
        }
        for (worker, reason) in workerErrors.sorted(by: { $0.key < $1.key })
        where refusedWorkers[worker] == nil && statistics.invalidAnswersByWorker[worker] == nil {
            lines.append("  worker problem: \(worker): \(reason)")
        }
        for violation in slaViolations { lines.append("  SLA: \(violation)") }
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
