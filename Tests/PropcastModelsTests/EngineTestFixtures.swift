import PropcastModels
import Testing

/// Shared inputs for the engine tests: a complete, valid `v1_baseline_25` feature set that
/// each test varies, and builders for inputs and past games.
enum EngineFixture {
    static let gameDate = GameDate("2025-01-15")!
    static let gameID: GameID = "20250115_LAL_BOS"
    static let player: PlayerLookup = "testplayer"

    /// All 25 features; values chosen so every formula term is non-trivial.
    static let baseFeatures: [String: Double] = [
        "points_avg_last_5": 25.0, "points_avg_last_10": 24.0, "points_avg_season": 22.0,
        "points_std_last_10": 5.0, "minutes_avg_last_10": 34.0, "fatigue_score": 60.0,
        "shot_zone_mismatch_score": 2.0, "pace_score": 1.0, "usage_spike_score": 0.5,
        "referee_favorability_score": 0, "look_ahead_pressure_score": 0, "matchup_history_score": 0,
        "momentum_score": 0, "opponent_def_rating_last_15": 113.0, "opponent_pace_last_15": 100.0,
        "is_home": 1, "days_rest": 1, "back_to_back": 0, "paint_rate_last_10": 0.45,
        "mid_range_rate_last_10": 0.15, "three_pt_rate_last_10": 0.30, "assisted_rate_last_10": 60.0,
        "team_pace_last_10": 100.0, "team_off_rating_last_10": 114.0, "usage_rate_last_10": 26.0,
    ]

    /// `baseFeatures` with `overrides` applied and `removing` taken out.
    static func featureDictionary(_ overrides: [String: Double] = [:], removing: [String] = []) -> [String: Double] {
        var features = baseFeatures.merging(overrides) { $1 }
        for name in removing { features[name] = nil }
        return features
    }

    static func features(_ overrides: [String: Double] = [:], removing: [String] = [], quality: Double = 95,
                         source: DataSource = .phase4) -> FeatureSet {
        FeatureSet(features: featureDictionary(overrides, removing: removing), qualityScore: quality, dataSource: source)
    }

    static func input(_ overrides: [String: Double] = [:], removing: [String] = [], quality: Double = 95,
                      source: DataSource = .phase4, lines: [Double] = [], games: [RecentGame] = []) -> PlayerInput {
        PlayerInput(player: player, gameDate: gameDate, gameID: gameID,
                    features: featureDictionary(overrides, removing: removing), featureQualityScore: quality,
                    dataSource: source, lineValues: lines.map { LineValue($0) }, recentGames: games)
    }

    /// A past game `daysAgo` days before the game date.
    static func game(_ points: Double, daysAgo: Int = 2, opponent: Double? = 113, rest: Int? = 1, home: Bool? = true,
                     last5: Double? = 25, season: Double? = 22) -> RecentGame {
        RecentGame(gameDate: gameDate.adding(days: -daysAgo), points: points, opponentDefRatingLast15: opponent,
                   daysRest: rest, isHome: home, pointsAvgLast5: last5, pointsAvgSeason: season)
    }

    /// The prediction of an outcome, failing the test when there is none.
    static func prediction(_ outcome: SystemOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> SystemPrediction {
        guard case .prediction(let prediction) = outcome else {
            Issue.record("expected a prediction, got \(outcome)", sourceLocation: sourceLocation)
            throw FixtureError.noPrediction
        }
        return prediction
    }

    enum FixtureError: Error { case noPrediction }
}
