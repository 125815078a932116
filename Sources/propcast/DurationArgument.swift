import ArgumentParser

/// A duration on the command line: `500ms`, `90s`, `30m`, `2h` (a bare number is seconds; at
/// most a year) — the one format of every time option.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration
    let description: String

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(argument)
        var scale = 1.0
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            number = argument.dropLast(suffix.count)
            scale = factor
            break
        }
        // Up to a year: beyond it the milliseconds below would not fit an Int64 anyway.
        guard let value = Double(number), value >= 0, value * scale <= 366 * 86_400 else { return nil }
        duration = .milliseconds(Int64((value * scale * 1000).rounded()))
        description = argument
    }
}
