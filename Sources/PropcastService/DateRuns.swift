import Foundation
import Logging
import PropcastCoordinator
import NIOPosix
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastStore

/// The service's runs: at most one per date, started by the watch, a refresh or the API; their
/// history; the watch of the current date (``DateWatch``); alerts on how runs end. Duplicate
/// triggers never start a second run: a running date answers "running", a date with nothing to
/// do answers "already complete" (``PendingWork``), and another process holding the date's
/// journal lock (a timer's `batch run`) answers "running" with its pid.
public actor DateRuns {
    /// What a trigger did.
    public enum StartAnswer: Sendable {
        /// A run started.
        case started(RunRecord)
        /// The date is running: this service's run, or another process's (its pid).
        case running(RunRecord?, lockHolder: Int32?)
        /// Nothing is missing: the journal holds every prediction the store asks for.
        case complete(PendingWork)
        /// The date cannot be planned (store or journal unreadable).
        case refused(BatchError)
    }

    private let configuration: CoordinatorServiceConfiguration
    private let runner: any DateRunning
    private let alerts: AlertCenter
    private let metrics: ServiceMetrics
    private let logger: Logger
    private var nextID = 1
    private var running: [GameDate: (record: RunRecord, task: Task<Void, Never>)] = [:]
    private var history: [GameDate: [RunRecord]] = [:]
    /// The watched date's state machine.
    public private(set) var watch: DateWatch?

    public init(configuration: CoordinatorServiceConfiguration, runner: any DateRunning, alerts: AlertCenter,
                metrics: ServiceMetrics, logger: Logger) {
        self.configuration = configuration
        self.runner = runner
        self.alerts = alerts
        self.metrics = metrics
        self.logger = logger
    }

    /// Starts `date` unless it is running or complete.
    public func start(_ date: GameDate, trigger: RunTrigger) -> StartAnswer {
        if let current = running[date] { return .running(current.record, lockHolder: nil) }
        let batch = configuration.batch
        if let holder = JournalDirectory(batch.journalDirectory).lockHolder(for: date) {
            return .running(nil, lockHolder: holder)
        }
        do {
            let pending = try PendingWork(date: date, storePath: batch.storePath, journalDirectory: batch.journalDirectory)
            if pending.isComplete { return .complete(pending) }
        } catch let error as BatchError {
            if case .journal = error.code { Task { await alerts.raise(.journalDamaged, date.description, error.description) } }
            return .refused(error)
        } catch {
            return .refused(BatchError(.configuration, "\(error)"))
        }
        let record = RunRecord(id: nextID, date: date, trigger: trigger)
        nextID += 1
        logger.info("run started", metadata: ["date": "\(date)", "trigger": "\(trigger.rawValue)", "run": "\(record.id)"])
        if watch?.date == date { watch?.runStarted() }
        let runner = self.runner
        let task = Task {
            let started = ContinuousClock.now
            let result = await runner.run(date, trigger: trigger) { progress in
                Task { await self.progressed(date, id: record.id, progress) }
            }
            await self.ended(date, record: record, result: result, elapsed: ContinuousClock.now - started)
        }
        running[date] = (record, task)
        return .started(record)
    }

    /// The runs of `date`, newest first (the running one included).
    public func runs(of date: GameDate) -> [RunRecord] {
        (running[date].map { [$0.record] } ?? []) + (history[date] ?? []).reversed()
    }

    /// The run of `date` going now.
    public func current(_ date: GameDate) -> RunRecord? { running[date]?.record }

    /// Every run going now.
    public var runningNow: [RunRecord] { running.values.map(\.record).sorted { $0.date < $1.date } }

    /// The last run of each date that has one.
    public var lastRuns: [String: RunRecord] {
        var last: [String: RunRecord] = [:]
        for (date, records) in history { if let record = records.last { last[date.description] = record } }
        for (date, entry) in running { last[date.description] = entry.record }
        return last
    }

    /// Waits for the run of `date` going now, if any, to end; its record.
    public func waitForRun(of date: GameDate) async -> RunRecord? {
        guard let task = running[date]?.task else { return nil }
        await task.value
        return history[date]?.last
    }

    /// Waits for every run going now to end.
    public func waitForRuns() async {
        while let task = running.values.first?.task { await task.value }
    }

    private func progressed(_ date: GameDate, id: Int, _ progress: BatchProgress) {
        guard running[date]?.record.id == id else { return }
        running[date]?.record.playersFinished = progress.finished
        running[date]?.record.playersTotal = progress.total
    }

    private func ended(_ date: GameDate, record: RunRecord, result: Result<BatchReport, BatchError>, elapsed: Duration) async {
        let ended = (running[date]?.record ?? record).ended(with: result)
        running[date] = nil
        history[date, default: []].append(ended)
        if history[date]!.count > 50 { history[date]!.removeFirst() }
        let report = try? result.get()
        metrics.runEnded(outcome: ended.outcome ?? "failed", report: report, duration: elapsed)
        logger.log(level: ended.exitStatus == 0 ? .info : .warning, "run ended",
                   metadata: ["date": "\(date)", "run": "\(ended.id)", "outcome": "\(ended.outcome ?? "-")",
                              "exit_status": "\(ended.exitStatus ?? -1)", "message": "\(ended.message ?? "")"])
        let predicted = report.map { ["finished", "no_games"].contains($0.outcome) } ?? false
        if watch?.date == date { watch?.runEnded(predicted: predicted, now: .now) }
        await alert(date, result)
        if report != nil, let url = configuration.exportPostgres { await export(date, to: url) }
    }

    /// Brings `player_prop_predictions` on `url` up to the date's journal (on a thread of the
    /// blocking pool, not the actor's executor); a failure is logged, and the next run's export
    /// or `journal export --postgres` catches up (exports are exactly once).
    private func export(_ date: GameDate, to url: PostgresURL) async {
        let exporter = PostgresExport(directory: JournalDirectory(configuration.batch.journalDirectory), url: url)
        do {
            let done = try await NIOThreadPool.singleton.runIfActive { try exporter.run(dates: [date]) }
            logger.info("predictions exported", metadata: ["date": "\(date)", "to": "\(url.masked)",
                                                           "export": "\(done.first.map { "\($0.summary)" } ?? "-")"])
        } catch {
            logger.warning("export to PostgreSQL failed", metadata: ["date": "\(date)", "error": "\(error)"])
        }
    }

    /// Raises or clears the date's alerts as the run's end says.
    private func alert(_ date: GameDate, _ result: Result<BatchReport, BatchError>) async {
        let subject = date.description
        switch result {
        case .success(let report):
            await alerts.clear(.qualityGate, subject, "the quality gate let \(date) through")
            await alerts.clear(.storeNotReady, subject, "the store became ready for \(date)")
            await alerts.clear(.journalDamaged, subject, "the journal of \(date) was written again")
            guard report.outcome == "finished" else { return }
            if report.slaViolations.isEmpty {
                await alerts.clear(.coverageSLA, subject, String(format: "coverage of %@ is %.1f%%, within the SLA",
                                                                 subject, report.coverage.coveragePercent))
            } else {
                await alerts.raise(.coverageSLA, subject, "coverage SLA of \(date) breached: "
                                   + report.slaViolations.joined(separator: "; ") + "; `propcast batch status --date \(date)`")
            }
        case .failure(let error):
            switch error.code {
            case .lowQuality: await alerts.raise(.qualityGate, subject, error.description)
            case .journal: await alerts.raise(.journalDamaged, subject, error.description)
            default: return
            }
        }
    }

    // MARK: the watched date

    /// Watches `date` from now on (a new day, or `--date`); the previous watch ends.
    public func watch(_ date: GameDate) {
        guard watch?.date != date else { return }
        watch = DateWatch(date: date, pollInterval: configuration.pollInterval, refreshInterval: configuration.refreshInterval)
        if running[date] != nil { watch?.runStarted() }
        logger.info("watching date", metadata: ["date": "\(date)", "window": "\(configuration.window.text)"])
    }

    /// One tick of the watch: what it asks for now.
    public func tick(phase: WatchWindow.Phase) -> DateWatch.Action {
        watch?.tick(phase: phase, now: .now) ?? .none
    }

    /// A readiness check of the watched date ended; starts the run when the store is ready.
    public func readinessChecked(_ date: GameDate, ready: Bool) {
        guard let watch, watch.date == date, watch.readinessChecked(ready: ready) else { return }
        if case .complete = start(date, trigger: .watch) {
            // Predicted already (a timer's run, or before a restart): refresh from here on.
            self.watch?.runEnded(predicted: true, now: .now)
        }
    }
}
