import Foundation
import PropcastJournal
import PropcastModels
import PropcastStore

/// `batch status`: the run state and coverage of a date, computed from its journal (verified
/// first) against the store's current inputs. Reads only; takes no lock.
public struct BatchStatus: Sendable, Codable {
    /// Whether a batch is running, was interrupted, or finished.
    public enum RunState: String, Sendable, Codable {
        /// No journal records yet.
        case notStarted = "NOT_STARTED"
        /// A coordinator holds the date's lock.
        case running = "RUNNING"
        /// The last `batch_started` has no `batch_finished` and nobody holds the lock (the
        /// coordinator died), or the last batch was stopped by a signal.
        case interrupted = "INTERRUPTED"
        /// The last batch wrote `batch_finished`.
        case finished = "FINISHED"
        /// Nothing is scheduled on the date.
        case noGames = "NO_GAMES"
    }

    /// Per-system coverage.
    public struct SystemCoverage: Sendable, Codable {
        public var systemID: String
        /// Players with every expected row of this system journaled.
        public var playersCovered: Int
        /// Players for whom this system was skipped on their current inputs (e.g. no history).
        public var playersSkipped: Int
        /// Current predictions of this system.
        public var predictions: Int

        enum CodingKeys: String, CodingKey {
            case systemID = "system_id", playersCovered = "players_covered", playersSkipped = "players_skipped", predictions
        }
    }

    public var date: String
    public var journalPath: String
    public var journalExists: Bool
    public var state: RunState
    /// The pid holding the date's lock (RUNNING).
    public var lockHolderPID: Int32?
    /// When the last batch started / finished (journal timestamps).
    public var lastStartedAt: String?
    public var lastFinishedAt: String?
    /// The journal's head: last seq and SHA-256 of its line (the audit anchor).
    public var headSeq: UInt64
    public var headSHA256: String
    public var coverage: CoverageReport
    public var coveragePercent: Double
    public var slaViolations: [String]
    public var systems: [SystemCoverage]

    enum CodingKeys: String, CodingKey {
        case date, journalPath = "journal_path", journalExists = "journal_exists", state
        case lockHolderPID = "lock_holder_pid", lastStartedAt = "last_started_at", lastFinishedAt = "last_finished_at"
        case headSeq = "head_seq", headSHA256 = "head_sha256", coverage, coveragePercent = "coverage_pct"
        case slaViolations = "sla_violations", systems
    }

    /// Builds the status of `date`.
    /// - Throws: ``BatchError`` `.configuration` when the store cannot be read, `.journal`
    ///   (exit 7) naming the damaged line when the journal does not verify.
    public init(date: GameDate, storePath: String, journalDirectory: String, sla: CoverageSLA = CoverageSLA()) throws {
        let directory = JournalDirectory(journalDirectory)
        let path = directory.journalPath(for: date)
        let store: FeatureStore
        let readiness: Readiness
        let loaded: FeatureStore.LoadedInputs
        do {
            store = try FeatureStore(path: storePath)
            readiness = try store.readiness(on: date)
            loaded = try store.loadInputs(on: date)
        } catch {
            throw BatchError(.configuration, "\(error)")
        }
        let holder = directory.lockHolder(for: date)
        let contents: JournalReader.Contents
        do { contents = try JournalReader.read(path: path, date: date, keepRecords: false) } catch {
            throw BatchError(.journal, "\(error)")
        }
        let head: JournalScanPosition
        switch contents.verdict {
        case .clean(let position):
            head = position
        case .tornTail(let position, let torn) where holder != nil:
            _ = torn  // a running writer's last line may be mid-write
            head = position
        case .tornTail(let position, let torn):
            throw BatchError(.journal, "journal \(path) is damaged: \(torn) after seq \(position.lastSeq); "
                             + "`propcast journal verify --date \(date)` for details; the next `batch run` cuts the torn tail")
        case .corrupt(let defect):
            throw BatchError(.journal, "journal \(path) is damaged: \(defect); restore it from a copy "
                             + "(`propcast journal verify --date \(date)` for details)")
        }
        let index = contents.index
        let versions = index.lastBatchStarted?.record.modelVersions ?? Self.modelVersions(in: index)
        let expectations = loaded.inputs.map { ExpectedPredictions($0, modelVersions: versions) }
        let coverage = CoverageReport(expectations: expectations, unreadable: loaded.unreadable,
                                      index: index, expectedPlayers: readiness.expectedPlayers)
        self.date = date.description
        self.journalPath = path
        self.journalExists = FileManager.default.fileExists(atPath: path)
        self.lockHolderPID = holder
        if readiness.hasNoGames && index.recordCount == 0 {
            state = .noGames
        } else if holder != nil {
            state = .running
        } else if index.hasOpenBatch || index.lastBatchFinished?.record.outcome == "interrupted" {
            state = .interrupted
        } else {
            state = index.lastBatchFinished == nil ? .notStarted : .finished
        }
        self.lastStartedAt = index.lastBatchStarted?.timestamp
        self.lastFinishedAt = index.lastBatchFinished?.timestamp
        self.headSeq = head.lastSeq
        self.headSHA256 = head.lastHash
        self.coverage = coverage
        self.coveragePercent = coverage.coveragePercent
        self.slaViolations = state == .noGames ? [] : sla.violations(of: coverage)
        self.systems = Self.systemCoverage(expectations, index: index)
    }

    /// The versions of the current rows, for journals whose `batch_started` does not record them.
    private static func modelVersions(in index: JournalIndex) -> [SystemID: String] {
        var versions: [SystemID: String] = [:]
        for rows in index.currentRows.values {
            for row in rows.values { versions[row.system] = row.modelVersion }
        }
        return versions
    }

    private static func systemCoverage(_ expectations: some Collection<ExpectedPredictions>,
                                       index: JournalIndex) -> [SystemCoverage] {
        SystemID.all.map { system in
            var covered = 0
            var skipped = 0
            for expected in expectations {
                if index.skippedSystems(for: expected).contains(system) {
                    skipped += 1
                    continue
                }
                let ids = expected.rows.filter { $0.system == system }.map(\.id)
                if !ids.isEmpty, ids.allSatisfy(index.isCurrent) { covered += 1 }
            }
            let predictions = index.currentRows.values.reduce(0) { $0 + $1.values.filter { $0.system == system }.count }
            return SystemCoverage(systemID: system.rawValue, playersCovered: covered, playersSkipped: skipped,
                                  predictions: predictions)
        }
    }

    /// `ok` within the SLA (or nothing scheduled), else `coverageBreached` (so a timer unit fails and alerts).
    public var exitStatus: ExitStatus { slaViolations.isEmpty ? .ok : .coverageBreached }

    /// A readable table.
    public var table: String {
        if state == .noGames { return "batch status \(date): no games scheduled on \(date)" }
        var lines = ["batch status \(date): \(state.rawValue)" + (lockHolderPID.map { " (pid \($0))" } ?? "")
                     + ", \(String(format: "%.1f", coverage.coveragePercent))% coverage "
                     + "(\(coverage.coveredPlayers)/\(coverage.expectedPlayers) players covered)"]
        if let lastStartedAt { lines.append("  last started \(lastStartedAt)" + (lastFinishedAt.map { ", finished \($0)" } ?? "")) }
        if state == .interrupted {
            lines.append("  the last batch did not finish; resume with `propcast batch retry --date \(date)`")
        }
        if !journalExists { lines.append("  no journal yet at \(journalPath)") }
        lines.append(contentsOf: CoverageText.gapLines(coverage))
        func row(_ columns: [String]) -> String {
            "  " + columns[0].padding(toLength: 24, withPad: " ", startingAt: 0)
                + columns.dropFirst().map { $0.leftPadded(to: 12) }.joined()
        }
        lines.append(row(["system", "covered", "skipped", "predictions"]))
        for system in systems {
            lines.append(row([system.systemID, "\(system.playersCovered)", "\(system.playersSkipped)", "\(system.predictions)"]))
        }
        for violation in slaViolations { lines.append("  SLA: \(violation)") }
        lines.append("  journal: \(journalPath) head seq \(headSeq) sha256 \(headSHA256)")
        return lines.joined(separator: "\n")
    }
}
