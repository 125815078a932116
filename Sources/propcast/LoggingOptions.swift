import ArgumentParser
import Logging
import PropcastConsole

/// `--log-level` and `--log-format`, on every command.
struct LoggingOptions: ParsableArguments, Sendable {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: info; demo: warning).")
    var logLevel: Logger.Level?
    @Option(help: "Log lines as readable text or as one JSON object per line (text, json).") var logFormat: LogFormat = .text

    /// Sends every logger of the process to stderr at the chosen level (else `defaultLevel`) and format.
    func bootstrap(defaultLevel: Logger.Level) {
        logFormat.bootstrap(level: logLevel ?? defaultLevel)
    }
}

/// A command with ``LoggingOptions``; `Propcast.main()` sets logging up from them before it runs.
protocol LoggingCommand {
    var logging: LoggingOptions { get }
    /// The level without `--log-level`.
    static var defaultLogLevel: Logger.Level { get }
}

extension LoggingCommand {
    static var defaultLogLevel: Logger.Level { .info }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

extension WorkerCommand: LoggingCommand {}
extension BatchRunCommand: LoggingCommand { var logging: LoggingOptions { options.logging } }
extension BatchRetryCommand: LoggingCommand { var logging: LoggingOptions { options.logging } }
extension BatchStatusCommand: LoggingCommand {}
extension BatchBackfillCommand: LoggingCommand {}
extension CoordinatorCommand: LoggingCommand {}
extension DemoCommand: LoggingCommand { static var defaultLogLevel: Logger.Level { .warning } }
extension JournalTailCommand: LoggingCommand {}
extension JournalVerifyCommand: LoggingCommand {}
extension JournalExportCommand: LoggingCommand {}
extension JournalStressAppendCommand: LoggingCommand {}
extension PredictCommand: LoggingCommand {}
extension StoreCommand.Seed: LoggingCommand {}
extension StoreCommand.Info: LoggingCommand {}
extension GradeCommand: LoggingCommand {}
extension ModelCommand.Score: LoggingCommand {}
extension PingCommand: LoggingCommand {}
extension BenchEngineCommand: LoggingCommand {}
extension BenchModelLoadCommand: LoggingCommand {}
extension BenchJournalCommand: LoggingCommand {}
extension BenchTLSCommand: LoggingCommand {}
extension BenchBatchCommand: LoggingCommand {}
extension BenchBackfillCommand: LoggingCommand {}
extension BenchPostgresCommand: LoggingCommand {}
