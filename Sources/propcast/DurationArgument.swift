import ArgumentParser
import PropcastConsole

/// A duration on the command line in the one format of ``DurationText``: `500ms`, `90s`,
/// `30m`, `2h` (a bare number is seconds; at most a year).
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(argument: String) {
        guard let duration = DurationText.parse(argument) else { return nil }
        self.duration = duration
        description = argument
    }
}
