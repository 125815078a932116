import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastConsole
import PropcastCoordinator
import PropcastModels
import PropcastStore
import PropcastWire

/// `propcast batch`: run, retry and check one game date.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run a game date across the workers, retry what is missing, or show coverage.",
        discussion: """
            Exit codes: 0 ok (also: no games scheduled on the date); 2 bad usage or configuration; 3 coverage \
            SLA broken (below --min-coverage, or more than --max-missing-pct / --max-missing-players without \
            predictions); 4 feature store not ready or its average quality below --min-quality; 5 no worker \
            reachable; 6 a batch for the date is already running; 7 journal error or damaged journal; \
            130 / 143 stopped by SIGINT / SIGTERM (answers that arrived are journaled; resume with `batch retry`).
            """,
        subcommands: [BatchRunCommand.self, BatchRetryCommand.self, BatchStatusCommand.self, BatchBackfillCommand.self]
    )
}

/// Options shared by `batch run` and `batch retry`.
struct BatchOptions: ParsableArguments {
    @Option(help: "Game date, YYYY-MM-DD.") var date: String
    @OptionGroup var target: BatchTargetOptions
    @Option(help: "How long to wait for the feature store to be ready (e.g. 30m, 90s).")
    var wait: DurationArgument = DurationArgument(argument: "30m")!

    @Option(help: "How often to re-check readiness while waiting.")
    var pollInterval: DurationArgument = DurationArgument(argument: "30s")!

    @OptionGroup var tuning: BatchTuningOptions
    @OptionGroup var sla: SLAOptions
    @OptionGroup var tls: TLSOptions
    @OptionGroup var logging: LoggingOptions

    func makeConfiguration(isRetry: Bool) throws -> BatchConfiguration {
        guard let gameDate = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
        var configuration = try tuning.makeConfiguration(date: gameDate, target: target, sla: try sla.makeSLA())
        configuration.readinessWait = wait.duration
        configuration.readinessPollInterval = pollInterval.duration
        configuration.isRetry = isRetry
        return configuration
    }

    /// Runs the batch with a progress display and prints the summary; exits with its code.
    /// SIGINT/SIGTERM stop it cleanly: the partial summary, the resume command, exit 130/143.
    func execute(isRetry: Bool) async throws {
        let configuration = try makeConfiguration(isRetry: isRetry)
        let logger = Logger(label: "propcast.batch")
        let context = try tls.makeContext(role: .coordinator)
        let trap = StopSignalTrap()
        defer { trap.remove() }
        let runner = BatchRunner(configuration: configuration, tls: context,
                                 group: MultiThreadedEventLoopGroup.singleton, logger: logger, stop: trap.signal)
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        let report: BatchReport
        do {
            report = try await runner.run { display.show($0) }
        } catch let error as BatchError {
            display.finish()
            throw CommandFailure(error.exitStatus, error.description)
        }
        display.finish()
        print(report.summary)
        if report.outcome == "no_games" { return }
        print("audit: propcast journal verify --date \(configuration.date) --journal-dir \(configuration.journalDirectory)")
        let retry = retryCommand()
        if let signal = await trap.signal.stopReason, report.outcome == "interrupted" {
            throw CommandFailure(ExitStatus(stoppedBy: signal),
                                 "stopped by \(signal) before every player was answered; resume with `\(retry)`")
        }
        if report.exitStatus != .ok {
            throw CommandFailure(report.exitStatus,
                                 report.slaViolations.joined(separator: "; ") + "; run `\(retry)`")
        }
    }
}

extension BatchOptions {
    /// The `batch retry` command that resumes this run, with its store, journal, workers and TLS flags.
    func retryCommand() -> String {
        var words = ["propcast", "batch", "retry", "--date", date, "--store", target.store, "--journal-dir", target.journalDir]
        if let workers = target.workers { words += ["--workers", workers] }
        if let workersFile = target.workersFile { words += ["--workers-file", workersFile] }
        words += ["--cert", tls.cert, "--key", tls.key, "--ca", tls.ca]
        return words.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}

/// The coverage SLA flags of `batch run`, `retry` and `status`.
struct SLAOptions: ParsableArguments {
    @Option(help: "Coverage below this % (covered players / expected players) exits 3.") var minCoverage: Double = 90
    @Option(help: "More than this % of expected players without predictions exits 3.") var maxMissingPct: Double = 5
    @Option(help: "More than this many expected players without predictions exits 3.") var maxMissingPlayers: Int = 20

    func makeSLA() throws -> CoverageSLA {
        guard (0...100).contains(minCoverage), (0...100).contains(maxMissingPct), maxMissingPlayers >= 0 else {
            throw CommandFailure(.usage, "--min-coverage and --max-missing-pct take 0–100, --max-missing-players ≥ 0")
        }
        return CoverageSLA(minimumCoveragePercent: minCoverage, maximumMissingPercent: maxMissingPct,
                           maximumMissingPlayers: maxMissingPlayers)
    }
}

struct BatchRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Predict every player of a game date on the workers (resumes where the journal left off).")

    @OptionGroup var options: BatchOptions

    func run() async throws { try await options.execute(isRetry: false) }
}

struct BatchRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Predict only the players of a date still missing from its journal (no readiness wait).")

    @OptionGroup var options: BatchOptions

    func run() async throws { try await options.execute(isRetry: true) }
}

struct BatchStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Run state and coverage of a game date from its verified journal (exit 3 when the SLA is broken).",
        discussion: """
            States: RUNNING (a coordinator holds the date's lock), INTERRUPTED (a batch started and did not \
            finish), FINISHED, NOT_STARTED. Exit codes: 0 within the SLA or no games on the date; 2 usage or \
            store error; 3 SLA broken; 7 the journal is damaged (the line is named).
            """)

    @Option(help: "Game date, YYYY-MM-DD.") var date: String
    @Option(help: "Feature store: an SQLite file or a postgresql:// URL.") var store: String = "propcast.sqlite"
    @Option(help: "Directory of the per-date journals.") var journalDir: String = "journal"
    @OptionGroup var sla: SLAOptions
    @Flag(help: "Print JSON instead of a table.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let gameDate = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
        let status: BatchStatus
        do {
            status = try BatchStatus(date: gameDate, storePath: store, journalDirectory: journalDir, sla: try sla.makeSLA())
        } catch let error as BatchError {
            throw CommandFailure(error.exitStatus, error.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(status.table)
        }
        if status.exitStatus != .ok { throw status.exitStatus.exit }
    }
}
