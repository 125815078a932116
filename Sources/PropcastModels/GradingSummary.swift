/// How one system did on played games: error of its predicted points and the hit rate of its
/// OVER/UNDER calls. Produced by ``Grading/grade(_:actuals:)``.
public struct GradingSummary: Sendable, Hashable, Codable {
    /// The system graded.
    public var systemID: SystemID
    /// Distinct player-games with a prediction and actual points (the MAE's sample size).
    public var gradedPlayerGames: Int
    /// Sum of |predicted − actual| over those player-games, points.
    public var absoluteErrorSum: Double
    /// OVER/UNDER rows whose line was not pushed (the hit rate's sample size).
    public var calls: Int
    /// Calls that came true: OVER with actual > line, UNDER with actual < line.
    public var hits: Int
    /// OVER/UNDER rows with actual == line (excluded from the hit rate).
    public var pushes: Int
    /// PASS rows for played games (excluded from the hit rate).
    public var passes: Int
    /// Rows whose player has no actual points (did not play, or the date is not played yet).
    public var ungradedRows: Int

    /// Creates an empty summary for `systemID`.
    public init(systemID: SystemID) {
        self.systemID = systemID
        gradedPlayerGames = 0
        absoluteErrorSum = 0
        calls = 0
        hits = 0
        pushes = 0
        passes = 0
        ungradedRows = 0
    }

    /// Adds `other`'s counts to this summary (same system; disjoint player-games, e.g. other dates).
    public mutating func add(_ other: GradingSummary) {
        gradedPlayerGames += other.gradedPlayerGames
        absoluteErrorSum += other.absoluteErrorSum
        calls += other.calls
        hits += other.hits
        pushes += other.pushes
        passes += other.passes
        ungradedRows += other.ungradedRows
    }

    /// Mean absolute error in points; nil when nothing was graded.
    public var meanAbsoluteError: Double? {
        gradedPlayerGames == 0 ? nil : absoluteErrorSum / Double(gradedPlayerGames)
    }

    /// hits / calls (0–1); nil without calls.
    public var hitRate: Double? {
        calls == 0 ? nil : Double(hits) / Double(calls)
    }

    enum CodingKeys: String, CodingKey {
        case systemID = "system_id", gradedPlayerGames = "graded_player_games", absoluteErrorSum = "absolute_error_sum"
        case calls, hits, pushes, passes, ungradedRows = "ungraded_rows"
    }
}
