import ArgumentParser
import NIOCore
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

    /// The same duration as NIO's `TimeAmount`.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
