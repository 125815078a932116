/// The one duration format of every time option and setting: `500ms`, `90s`, `30m`, `2h`
/// (a bare number is seconds), at most a year.
public enum DurationText {
    /// The duration `text` names, or nil when it is not in the format.
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        // Up to a year: beyond it the milliseconds below would not fit an Int64 anyway.
        guard let value = Double(number), value >= 0, value * scale <= 366 * 86_400 else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}
