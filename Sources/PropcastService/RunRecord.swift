import Foundation
import PropcastCoordinator
import PropcastModels

/// What started a run.
public enum RunTrigger: String, Sendable, Codable {
    /// The readiness poll of the watched date.
    case watch
    /// `POST /api/v1/dates/{date}/runs` (the feature-store writer's completion event).
    case api
    /// `NOTIFY propcast_store_ready, 'YYYY-MM-DD'` on a PostgreSQL store.
    case notify
    /// The periodic re-plan of a predicted date.
    case refresh
    /// A backfill through the API.
    case backfill
}

/// One run of a date by the service, as the API and dashboard show it.
public struct RunRecord: Sendable, Codable, Hashable {
    public var id: Int
    public var date: String
    public var trigger: RunTrigger
    /// `running` or `ended`.
    public var state: String
    public var startedAt: String
    public var finishedAt: String?
    /// The batch outcome (finished, interrupted, abandoned, no_games) or `failed`.
    public var outcome: String?
    /// The exit status `batch run` would have had.
    public var exitStatus: Int32?
    public var coveragePct: Double?
    public var predictionsWritten: Int?
    public var superseded: Int?
    /// What went wrong, or the SLA violations.
    public var message: String?
    /// Live progress while running.
    public var playersFinished: Int
    public var playersTotal: Int

    enum CodingKeys: String, CodingKey {
        case id, date, trigger, state, startedAt = "started_at", finishedAt = "finished_at", outcome
        case exitStatus = "exit_status", coveragePct = "coverage_pct", predictionsWritten = "predictions_written"
        case superseded, message, playersFinished = "players_finished", playersTotal = "players_total"
    }

    /// UTC with milliseconds (`2024-11-19T08:30:00.125Z`): a run's start is compared with the
    /// moment the store became ready, which a whole-second stamp would blur.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    init(id: Int, date: GameDate, trigger: RunTrigger) {
        self.id = id
        self.date = date.description
        self.trigger = trigger
        self.state = "running"
        self.startedAt = Self.timestamp(Date())
        self.playersFinished = 0
        self.playersTotal = 0
    }

    /// The record once the run returned `result`.
    func ended(with result: Result<BatchReport, BatchError>) -> RunRecord {
        var record = self
        record.state = "ended"
        record.finishedAt = Self.timestamp(Date())
        switch result {
        case .success(let report):
            record.outcome = report.outcome
            record.exitStatus = (report.outcome == "interrupted" ? ExitStatus.interrupted : report.exitStatus).rawValue
            record.coveragePct = report.outcome == "no_games" ? nil : report.coverage.coveragePercent
            record.predictionsWritten = report.statistics.predictionsWritten
            record.superseded = report.superseded
            record.message = report.slaViolations.isEmpty ? nil : report.slaViolations.joined(separator: "; ")
        case .failure(let error):
            record.outcome = "failed"
            record.exitStatus = error.exitStatus.rawValue
            record.message = error.description
        }
        return record
    }
}
