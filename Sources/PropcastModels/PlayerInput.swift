/// Where a player's features came from (upstream `data_source`).
public enum DataSource: String, Sendable, Hashable, Codable, CaseIterable {
    case phase4, phase3, mixed
    /// Upstream test data; lowers rule confidence (SYSTEMS.md §3 `data_quality`).
    case mock
}

/// One past game of a player, as the similarity system needs it (newest first in a list).
public struct RecentGame: Sendable, Hashable, Codable {
    public var gameDate: GameDate
    public var points: Double
    public var opponentDefRatingLast15: Double?
    public var daysRest: Int?
    public var isHome: Bool?
    public var pointsAvgLast5: Double?
    public var pointsAvgSeason: Double?

    public init(gameDate: GameDate, points: Double, opponentDefRatingLast15: Double? = nil, daysRest: Int? = nil,
                isHome: Bool? = nil, pointsAvgLast5: Double? = nil, pointsAvgSeason: Double? = nil) {
        self.gameDate = gameDate
        self.points = points
        self.opponentDefRatingLast15 = opponentDefRatingLast15
        self.daysRest = daysRest
        self.isHome = isHome
        self.pointsAvgLast5 = pointsAvgLast5
        self.pointsAvgSeason = pointsAvgSeason
    }

    enum CodingKeys: String, CodingKey {
        case gameDate = "game_date", points, opponentDefRatingLast15 = "opponent_def_rating_last_15"
        case daysRest = "days_rest", isHome = "is_home", pointsAvgLast5 = "points_avg_last_5"
        case pointsAvgSeason = "points_avg_season"
    }
}

/// Everything needed to predict one player for one game: what the coordinator ships in a
/// request and what `propcast predict --input` reads (snake_case JSON keys).
public struct PlayerInput: Sendable, Hashable, Codable {
    public var player: PlayerLookup
    public var gameDate: GameDate
    public var gameID: GameID
    /// Named feature values (normally the 25 of `v1_baseline_25`).
    public var features: [String: Double]
    /// 0–100.
    public var featureQualityScore: Double
    public var dataSource: DataSource
    /// Up to 5 points lines; empty = no line offered.
    public var lineValues: [LineValue]
    /// Up to 30 past games, newest first.
    public var recentGames: [RecentGame]

    public init(player: PlayerLookup, gameDate: GameDate, gameID: GameID, features: [String: Double],
                featureQualityScore: Double, dataSource: DataSource, lineValues: [LineValue],
                recentGames: [RecentGame]) {
        self.player = player
        self.gameDate = gameDate
        self.gameID = gameID
        self.features = features
        self.featureQualityScore = featureQualityScore
        self.dataSource = dataSource
        self.lineValues = lineValues
        self.recentGames = recentGames
    }

    enum CodingKeys: String, CodingKey {
        case player = "player_lookup", gameDate = "game_date", gameID = "game_id", features
        case featureQualityScore = "feature_quality_score", dataSource = "data_source"
        case lineValues = "line_values", recentGames = "recent_games"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        player = try c.decode(PlayerLookup.self, forKey: .player)
        gameDate = try c.decode(GameDate.self, forKey: .gameDate)
        gameID = try c.decode(GameID.self, forKey: .gameID)
        features = try c.decode([String: Double].self, forKey: .features)
        featureQualityScore = try c.decode(Double.self, forKey: .featureQualityScore)
        dataSource = try c.decodeIfPresent(DataSource.self, forKey: .dataSource) ?? .phase4
        lineValues = try c.decodeIfPresent([LineValue].self, forKey: .lineValues) ?? []
        recentGames = try c.decodeIfPresent([RecentGame].self, forKey: .recentGames) ?? []
    }
}
