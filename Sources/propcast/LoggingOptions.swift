import ArgumentParser
import Logging

/// `--log-level` and `--log-format`, for commands that log.
struct LoggingOptions: ParsableArguments {
    /// How log lines are written.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// swift-log's readable lines.
        case text
        /// One JSON object per line (``JSONLogHandler``), for log collectors.
        case json
    }

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "Log lines as readable text or as one JSON object per line (text, json).")
    var logFormat: Format = .text

    /// Sends logs to stderr at the chosen level and format and returns a logger labelled `label`.
    func makeLogger(label: String) -> Logger {
        let level = logLevel
        let format = logFormat
        LoggingSystem.bootstrap { name in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: name)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: name)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
