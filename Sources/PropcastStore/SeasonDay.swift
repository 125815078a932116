import PropcastModels

/// Everything generated for one game date, ready to be written.
struct SeasonDay: Sendable {
    var date: GameDate
    var features: [FeatureRecord] = []
    var contexts: [ContextRecord] = []
    var results: [ResultRecord] = []
}

/// A `ml_feature_store_v2` row.
struct FeatureRecord: Sendable, Hashable {
    var player: String
    var gameID: String
    var values: [Double]
    var quality: Double
    var dataSource: DataSource
    var isProductionReady: Bool
}

/// An `upcoming_player_game_context` row.
struct ContextRecord: Sendable, Hashable {
    var player: String
    var gameID: String
    var team: String
    var opponent: String
    var isHome: Bool
    var lines: [Double]
}

/// A `player_game_summary` row: what happened, plus the pre-game context the similarity system reads.
struct ResultRecord: Sendable, Hashable {
    var player: String
    var gameID: String
    var team: String
    var opponent: String
    var isHome: Bool
    var daysRest: Int
    var minutes: Double
    var points: Double
    var opponentDefRatingLast15: Double
    var pointsAvgLast5: Double
    var pointsAvgSeason: Double
}
