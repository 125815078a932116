import Foundation
import Logging
import NIOCore
import PropcastJournal
import PropcastModels
import PropcastStore
import PropcastTLS

/// How one date of a backfill ended.
public struct BackfillDateResult: Sendable {
    /// What happened to the date.
    public enum Outcome: Sendable {
        /// The journal already held everything the store asks for; nothing was sent.
        case alreadyComplete
        /// The date was run (its report; its own exit status is the report's).
        case ran(BatchReport)
        /// The date could not be run (its error names why and the exit status).
        case failed(BatchError)
    }

    public let date: GameDate
    public let outcome: Outcome

    /// The date's exit status, as `batch run` of the date alone would have exited.
    public var exitStatus: ExitStatus {
        switch outcome {
        case .alreadyComplete: .ok
        case .ran(let report): report.outcome == "interrupted" ? .interrupted : report.exitStatus
        case .failed(let error): error.exitStatus
        }
    }

    /// One line for the date: what happened, coverage, predictions, time.
    public var line: String {
        switch outcome {
        case .alreadyComplete:
            return "\(date)  complete already, skipped"
        case .ran(let report):
            if report.outcome == "no_games" { return "\(date)  no games" }
            let seconds = report.wallTime / .seconds(1)
            return "\(date)  \(report.outcome)  "
                + "\(Self.percent(report.coverage.coveragePercent)) coverage (\(report.coverage.coveredPlayers)/"
                + "\(report.coverage.expectedPlayers))  \(report.statistics.predictionsWritten) predictions  "
                + Self.seconds(seconds) + (report.slaViolations.isEmpty ? "" : "  SLA: " + report.slaViolations.joined(separator: "; "))
        case .failed(let error):
            return "\(date)  FAILED (exit \(error.exitStatus.rawValue)): \(error.description)"
        }
    }

    private static func percent(_ value: Double) -> String { "\((value * 10).rounded() / 10)%" }
    private static func seconds(_ value: Double) -> String { "\((value * 100).rounded() / 100) s" }
}

/// A moment of a backfill, for its one overall progress display.
public struct BackfillProgress: Sendable {
    /// Dates settled (run, skipped or failed) and dates in the range with games.
    public var datesDone: Int
    public var datesTotal: Int
    /// Players answered so far in the dates being run and in those done.
    public var playersFinished: Int
    /// Time since the backfill started.
    public var elapsed: Duration
}

/// Predicts a range of dates in one process (`batch backfill`): the dates with games in the
/// store, `jobs` of them at a time, each a ``BatchRunner`` over one set of worker connections
/// (a ``WorkerPool``). Complete dates are skipped (``PendingWork``), so a backfill killed
/// mid-way resumes where its journals stop; the exit status is the worst of the dates'.
public struct BackfillRunner: Sendable {
    let template: BatchConfiguration
    let dates: [GameDate]
    let jobs: Int
    let tls: TLSContext
    let group: any EventLoopGroup
    let logger: Logger
    let stop: BatchStopSignal
    /// The connections every date's batch uses.
    public let pool: WorkerPool

    /// A backfill of `from…to` as `template` says (its date is ignored; readiness is not waited
    /// for: a past date's store is as ready as it will be).
    /// - Throws: ``BatchError`` `.configuration` when the store cannot be read.
    public init(template: BatchConfiguration, from: GameDate, to: GameDate, jobs: Int, tls: TLSContext,
                group: any EventLoopGroup, logger: Logger, stop: BatchStopSignal = BatchStopSignal()) throws {
        do {
            let store = try FeatureStore(path: template.storePath)
            dates = try store.gameDates().filter { $0 >= from && $0 <= to }
        } catch {
            throw BatchError(.configuration, "\(error)")
        }
        var template = template
        template.readinessWait = .zero
        self.template = template
        self.jobs = max(1, jobs)
        self.tls = tls
        self.group = group
        self.logger = logger
        self.stop = stop
        self.pool = WorkerPool(configuration: template, tls: tls, group: group, logger: logger)
    }

    /// The dates with games in the range, in order.
    public var datesWithGames: [GameDate] { dates }

    /// Runs the dates; `settled` gets each date's result as it ends (in the order they end),
    /// `progress` about once a second. Returns every date's result in date order.
    public func run(settled: @escaping @Sendable (BackfillDateResult) -> Void = { _ in },
                    progress: @escaping @Sendable (BackfillProgress) -> Void = { _ in }) async -> [BackfillDateResult] {
        let tally = BackfillTally(datesTotal: dates.count, progress: progress)
        var results: [GameDate: BackfillDateResult] = [:]
        await withTaskGroup(of: BackfillDateResult?.self) { tasks in
            var next = dates.makeIterator()
            func startNext() -> Bool {
                guard let date = next.next() else { return false }
                tasks.addTask { await self.runDate(date, tally: tally) }
                return true
            }
            for _ in 0..<jobs where !startNext() { break }
            while let finished = await tasks.next() {
                if let finished {
                    results[finished.date] = finished
                    settled(finished)
                    await tally.dateDone(finished.date)
                }
                if await stop.stopReason == nil { _ = startNext() }
            }
        }
        await pool.shutdown()
        return dates.compactMap { results[$0] }
    }

    /// The worst exit status of `results` (the highest code: interrupted > journal > … > ok).
    public static func exitStatus(of results: [BackfillDateResult]) -> ExitStatus {
        results.map(\.exitStatus).max { $0.rawValue < $1.rawValue } ?? .ok
    }

    /// The result of `date` when it need not run (complete) or cannot (its journal or the store
    /// cannot be read); nil when it has work. A date without a journal has all its work to do
    /// and is not planned twice.
    private func settledWithoutRunning(_ date: GameDate) -> BackfillDateResult? {
        let journalPath = JournalDirectory(template.journalDirectory).journalPath(for: date)
        guard FileManager.default.fileExists(atPath: journalPath) else { return nil }
        do {
            let pending = try PendingWork(date: date, storePath: template.storePath,
                                          journalDirectory: template.journalDirectory)
            return pending.isComplete ? BackfillDateResult(date: date, outcome: .alreadyComplete) : nil
        } catch let error as BatchError {
            return BackfillDateResult(date: date, outcome: .failed(error))
        } catch {
            return BackfillDateResult(date: date, outcome: .failed(BatchError(.configuration, "\(error)")))
        }
    }

    private func runDate(_ date: GameDate, tally: BackfillTally) async -> BackfillDateResult? {
        guard await stop.stopReason == nil else { return nil }
        if let settled = settledWithoutRunning(date) { return settled }
        // The workers are connected once the first date needs them (a resumed backfill of
        // complete dates connects to nobody).
        await pool.start()
        var configuration = template
        configuration.date = date
        let runner = BatchRunner(configuration: configuration, tls: tls, group: group,
                                 logger: logger.with(date: date), stop: stop, pool: pool)
        switch await runner.result(progress: { batch in Task { await tally.update(date, finished: batch.finished) } }) {
        case .success(let report): return BackfillDateResult(date: date, outcome: .ran(report))
        case .failure(let error): return BackfillDateResult(date: date, outcome: .failed(error))
        }
    }
}

/// The overall figures of a running backfill.
actor BackfillTally {
    private let datesTotal: Int
    private var datesDone = 0
    private var finishedByDate: [GameDate: Int] = [:]
    private let started = ContinuousClock.now
    private var lastShown = ContinuousClock.now - .seconds(1)
    private let progress: @Sendable (BackfillProgress) -> Void

    init(datesTotal: Int, progress: @escaping @Sendable (BackfillProgress) -> Void) {
        self.datesTotal = datesTotal
        self.progress = progress
    }

    func update(_ date: GameDate, finished: Int) {
        finishedByDate[date] = max(finishedByDate[date] ?? 0, finished)
        show(force: false)
    }

    func dateDone(_ date: GameDate) {
        datesDone += 1
        show(force: datesDone == datesTotal)
    }

    private func show(force: Bool) {
        let now = ContinuousClock.now
        guard force || now - lastShown >= .seconds(1) else { return }
        lastShown = now
        progress(BackfillProgress(datesDone: datesDone, datesTotal: datesTotal,
                                  playersFinished: finishedByDate.values.reduce(0, +), elapsed: now - started))
    }
}

extension Logger {
    /// This logger with the date in its metadata (a backfill's dates log side by side).
    func with(date: GameDate) -> Logger {
        var logger = self
        logger[metadataKey: "date"] = "\(date)"
        return logger
    }
}
