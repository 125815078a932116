import PropcastModels

/// A `ml_feature_store_v2` row of one date: a player's 25 features and their quality.
public struct FeatureRecord: Sendable, Hashable {
    public var player: String
    public var gameID: String
    /// The `v1_baseline_25` vector (``BaselineFeatures/names``).
    public var values: [Double]
    public var quality: Double
    public var dataSource: DataSource
    public var isProductionReady: Bool

    public init(player: String, gameID: String, values: [Double], quality: Double, dataSource: DataSource,
                isProductionReady: Bool) {
        self.player = player
        self.gameID = gameID
        self.values = values
        self.quality = quality
        self.dataSource = dataSource
        self.isProductionReady = isProductionReady
    }
}

/// An `upcoming_player_game_context` row of one date: who plays whom, and the points lines.
public struct ContextRecord: Sendable, Hashable {
    public var player: String
    public var gameID: String
    public var team: String
    public var opponent: String
    public var isHome: Bool
    public var lines: [Double]

    public init(player: String, gameID: String, team: String, opponent: String, isHome: Bool, lines: [Double]) {
        self.player = player
        self.gameID = gameID
        self.team = team
        self.opponent = opponent
        self.isHome = isHome
        self.lines = lines
    }
}

/// A `player_game_summary` row of one date: what happened, plus the pre-game context the
/// similarity system reads.
public struct ResultRecord: Sendable, Hashable {
    public var player: String
    public var gameID: String
    public var team: String
    public var opponent: String
    public var isHome: Bool
    public var daysRest: Int
    public var minutes: Double
    public var points: Double
    public var opponentDefRatingLast15: Double
    public var pointsAvgLast5: Double
    public var pointsAvgSeason: Double

    public init(player: String, gameID: String, team: String, opponent: String, isHome: Bool, daysRest: Int,
                minutes: Double, points: Double, opponentDefRatingLast15: Double, pointsAvgLast5: Double,
                pointsAvgSeason: Double) {
        self.player = player
        self.gameID = gameID
        self.team = team
        self.opponent = opponent
        self.isHome = isHome
        self.daysRest = daysRest
        self.minutes = minutes
        self.points = points
        self.opponentDefRatingLast15 = opponentDefRatingLast15
        self.pointsAvgLast5 = pointsAvgLast5
        self.pointsAvgSeason = pointsAvgSeason
    }
}
