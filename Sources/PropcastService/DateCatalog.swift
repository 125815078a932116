import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastStore

/// One journaled date in the season view and `GET /api/v1/dates`.
public struct DateSummary: Sendable, Codable, Hashable {
    public var date: String
    /// RUNNING, INTERRUPTED, FINISHED or NOT_STARTED (as `batch status`), or DAMAGED.
    public var state: String
    /// Coverage, expected players and outcome of the last `batch_finished`.
    public var coveragePct: Double?
    public var expectedPlayers: Int?
    public var lastOutcome: String?
    public var lastFinishedAt: String?
    /// Current predictions in the journal.
    public var predictions: Int
    public var superseded: Int
    /// This service's last run of the date (since it started).
    public var lastRun: RunRecord?
    /// Why the journal could not be read.
    public var problem: String?

    enum CodingKeys: String, CodingKey {
        case date, state, coveragePct = "coverage_pct", expectedPlayers = "expected_players", lastOutcome = "last_outcome"
        case lastFinishedAt = "last_finished_at", predictions, superseded, lastRun = "last_run", problem
    }
}

/// One date's grading per system: the journal's current predictions against the store's actual points.
public struct DateGrading: Sendable, Codable, Hashable {
    public var date: String
    public var systems: [GradingSummary]
}

/// Summaries and grading of the journaled dates, each read once per change of its journal
/// (size and modification time; for grading also the store's) and kept.
public actor DateCatalog {
    private let storePath: String
    private let directory: JournalDirectory
    private var summaries: [GameDate: (key: FileStamp, summary: DateSummary)] = [:]
    private var gradings: [GameDate: (key: [FileStamp], grading: DateGrading)] = [:]

    public init(storePath: String, journalDirectory: String) {
        self.storePath = storePath
        self.directory = JournalDirectory(journalDirectory)
    }

    /// Every date with a journal, newest first.
    public func dates() -> [GameDate] {
        ((try? directory.dates()) ?? []).sorted(by: >)
    }

    /// The summary of `date` from its journal (lock state now; coverage of its last batch).
    public func summary(of date: GameDate) -> DateSummary {
        let path = directory.journalPath(for: date)
        let stamp = FileStamp(path: path)
        var summary: DateSummary
        if let cached = summaries[date], cached.key == stamp {
            summary = cached.summary
        } else {
            summary = Self.read(date, path: path)
            summaries[date] = (stamp, summary)
        }
        if directory.lockHolder(for: date) != nil { summary.state = BatchStatus.RunState.running.rawValue }
        return summary
    }

    /// The grading of `date`: its current predictions graded against the store's actual points.
    public func grading(of date: GameDate) -> DateGrading? {
        let path = directory.journalPath(for: date)
        let key = [FileStamp(path: path), FileStamp(path: storePath), FileStamp(path: storePath + "-wal")]
        if let cached = gradings[date], cached.key == key { return cached.grading }
        guard let contents = try? JournalReader.read(path: path, date: date),
              let actuals = try? FeatureStore(path: storePath).actualPoints(from: date, to: date) else { return nil }
        let index = contents.index
        let rows: [PredictionRow] = contents.records.compactMap { record in
            guard case .prediction(let row) = record.entry, index.isCurrent(row.predictionID) else { return nil }
            return row
        }
        let grading = DateGrading(date: date.description, systems: Grading.grade(rows, actuals: actuals))
        gradings[date] = (key, grading)
        return grading
    }

    private static func read(_ date: GameDate, path: String) -> DateSummary {
        var summary = DateSummary(date: date.description, state: BatchStatus.RunState.notStarted.rawValue, predictions: 0,
                                  superseded: 0)
        let contents: JournalReader.Contents
        do { contents = try JournalReader.read(path: path, date: date, keepRecords: false) } catch {
            summary.state = "DAMAGED"
            summary.problem = "\(error)"
            return summary
        }
        if case .corrupt(let defect) = contents.verdict {
            summary.state = "DAMAGED"
            summary.problem = "\(defect)"
        }
        let index = contents.index
        summary.predictions = index.currentIDs.count
        summary.superseded = index.supersededIDs.count
        if let finished = index.lastBatchFinished {
            summary.coveragePct = finished.record.coveragePercent
            summary.expectedPlayers = finished.record.expectedPlayers
            summary.lastOutcome = finished.record.outcome
            summary.lastFinishedAt = finished.timestamp
        }
        if summary.problem == nil {
            if index.hasOpenBatch || index.lastBatchFinished?.record.outcome == "interrupted" {
                summary.state = BatchStatus.RunState.interrupted.rawValue
            } else if index.lastBatchFinished != nil {
                summary.state = BatchStatus.RunState.finished.rawValue
            }
        }
        return summary
    }
}

/// A file's size and modification time: what says it changed.
struct FileStamp: Hashable, Sendable {
    var size: Int64
    var modified: Double

    init(path: String) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
        modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }
}
