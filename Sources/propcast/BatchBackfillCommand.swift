import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastConsole
import PropcastCoordinator
import PropcastModels

/// `propcast batch backfill`: a range of dates in one process.
struct BatchBackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Predict every date with games from --from to --to in one process, --jobs dates at a time "
            + "(complete dates are skipped, so a killed backfill resumes).",
        discussion: """
            One line per date as it ends, one overall progress display, then a total. Readiness is not waited \
            for (a past date's store is as ready as it gets). Exit status: the worst of the dates' (as `batch run` \
            of each alone would exit).
            """)

    @Option(help: "First date, YYYY-MM-DD.") var from: String
    @Option(help: "Last date, YYYY-MM-DD.") var to: String
    @Option(help: "Dates run at once.") var jobs: Int = 2
    @OptionGroup var target: BatchTargetOptions
    @OptionGroup var tuning: BatchTuningOptions
    @OptionGroup var sla: SLAOptions
    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    static var defaultLogLevel: Logger.Level { .warning }

    func run() async throws {
        guard let first = GameDate(from), let last = GameDate(to), first <= last else {
            throw CommandFailure(.usage, "--from '\(from)' and --to '\(to)' must be YYYY-MM-DD with --from ≤ --to")
        }
        guard (1...32).contains(jobs) else { throw CommandFailure(.usage, "--jobs must be 1…32 (got \(jobs))") }
        let template = try tuning.makeConfiguration(date: first, target: target, sla: try sla.makeSLA())
        let context = try tls.makeContext(role: .coordinator)
        let trap = StopSignalTrap()
        defer { trap.remove() }
        let runner: BackfillRunner
        do {
            runner = try BackfillRunner(template: template, from: first, to: last, jobs: jobs, tls: context,
                                        group: MultiThreadedEventLoopGroup.singleton,
                                        logger: Logger(label: "propcast.backfill"), stop: trap.signal)
        } catch let error as BatchError {
            throw CommandFailure(error.exitStatus, error.description)
        }
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        // On a terminal the date lines go above the progress bar; otherwise to stdout, for scripts.
        let sharedTerminal = isatty(STDERR_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let start = ContinuousClock.now
        let results = await runner.run(settled: { result in
            if sharedTerminal { StderrLines.shared.write(line: result.line) } else { printFlushed(result.line) }
        }, progress: { progress in
            let seconds = max(0.001, progress.elapsed / .seconds(1))
            display.show(done: progress.datesDone, of: progress.datesTotal, unit: "dates",
                         detail: String(format: "%d players, %.0f players/s", progress.playersFinished,
                                        Double(progress.playersFinished) / seconds))
        })
        display.finish()
        let summary = BackfillSummary(from: first, to: last, results: results,
                                      workerConnections: await runner.pool.sessionsEstablished.values.reduce(0, +),
                                      elapsed: ContinuousClock.now - start)
        print(summary.line)
        let status = summary.exitStatus
        if let signal = await trap.signal.stopReason {
            throw CommandFailure(ExitStatus(stoppedBy: signal), "stopped by \(signal); run the same command again to resume")
        }
        if status != .ok { throw CommandFailure(status, "the worst date exited \(status.rawValue); see its line above") }
    }
}
