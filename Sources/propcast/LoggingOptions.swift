import ArgumentParser
import Logging
import PropcastConsole

/// `--log-level` and `--log-format`, on every command.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: Logger.Level = .info
    @Option(help: "Log lines as readable text or as one JSON object per line (text, json).") var logFormat: LogFormat = .text

    /// Sends logs to stderr at the chosen level and format and returns a logger labelled `label`.
    func makeLogger(label: String) -> Logger {
        logFormat.bootstrap(level: logLevel)
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}
