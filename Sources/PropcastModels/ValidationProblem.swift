/// One reason a player cannot be predicted (SYSTEMS.md §2). A player with any problem is
/// skipped — not failed — and every problem found is reported.
public enum ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// A feature of `v1_baseline_25` is absent.
    case missingFeature(name: String)
    /// A feature value is NaN or ±infinity.
    case nonFiniteFeature(name: String, value: Double)
    /// `feature_quality_score` is below the configured minimum (70 by default).
    case qualityScoreBelowMinimum(score: Double, minimum: Double)
    /// `feature_quality_score` is NaN, infinite, or outside 0–100.
    case invalidQualityScore(Double)
    /// `points_avg_season` is outside [0, 60].
    case seasonAverageOutOfRange(Double)
    /// A feature holds a value no real player has (see ``InputValidator/saneRanges``).
    case featureOutOfSaneRange(name: String, value: Double, range: ClosedRange<Double>)
    /// More lines than the configured maximum (5 by default).
    case tooManyLines(count: Int, maximum: Int)
    /// A line that is NaN, infinite, negative or above 100 points.
    case invalidLine(Double)
    /// The same line offered twice (it would give two rows with one prediction id).
    case duplicateLine(Double)
    /// A past game (index in `recent_games`, 0 = newest) holds a NaN/infinite or negative number.
    case invalidRecentGame(index: Int, field: String, value: Double)

    /// A readable reason, e.g. `missing feature points_avg_last_5`.
    public var description: String {
        switch self {
        case .missingFeature(let name):
            "missing feature \(name)"
        case .nonFiniteFeature(let name, let value):
            "feature \(name) is \(value)"
        case .qualityScoreBelowMinimum(let score, let minimum):
            "feature_quality_score \(score) is below \(minimum)"
        case .invalidQualityScore(let score):
            "feature_quality_score \(score) is not a number in 0–100"
        case .seasonAverageOutOfRange(let value):
            "points_avg_season \(value) is outside [0, 60]"
        case .featureOutOfSaneRange(let name, let value, let range):
            "feature \(name) = \(value) is outside the plausible range [\(range.lowerBound), \(range.upperBound)]"
        case .tooManyLines(let count, let maximum):
            "\(count) lines offered, at most \(maximum) allowed"
        case .invalidLine(let value):
            "line \(value) is not a number in 0–100"
        case .duplicateLine(let value):
            "line \(value) is offered more than once"
        case .invalidRecentGame(let index, let field, let value):
            "recent game \(index) has \(field) = \(value)"
        }
    }
}
