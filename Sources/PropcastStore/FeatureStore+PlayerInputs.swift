import Foundation
import GRDB
import PropcastModels

extension FeatureStore {
    /// Most recent games shipped per player (the similarity system's history).
    public static let recentGameLimit = 30
    /// Only games within this many days before the game date count as recent.
    public static let recentGameWindowDays = 90

    /// Everything needed to predict each player with features on `date`: the named features,
    /// quality and source, the lines and game id from the upcoming context, and up to
    /// ``recentGameLimit`` games strictly before `date` (within ``recentGameWindowDays`` days),
    /// newest first. Two queries in one read transaction: one for features + context, one for
    /// recent games. Sorted by player. Throws ``StoreError`` for unreadable rows.
    /// - Parameter players: restrict to these players (nil = everyone with features on the date).
    public func playerInputs(on date: GameDate, players: [PlayerLookup]? = nil) throws -> [PlayerInput] {
        let filter = try players.map { list -> String in
            String(decoding: try JSONEncoder().encode(list.map(\.rawValue)), as: UTF8.self)
        }
        let playerClause = filter == nil ? "" : "AND f.player_lookup IN (SELECT value FROM json_each(:players))"
        var arguments: [String: (any DatabaseValueConvertible)?] = [
            "date": date.description, "since": date.adding(days: -Self.recentGameWindowDays).description,
            "limit": Self.recentGameLimit,
        ]
        if let filter { arguments["players"] = filter }
        let statementArguments = StatementArguments(arguments)
        let (featureRows, gameRows) = try read("loading player inputs for \(date)") { db in
            let featureRows = try Row.fetchAll(db, sql: """
                SELECT f.player_lookup, f.game_id, f.feature_names, f.features, f.feature_quality_score,
                       f.data_source, u.game_id AS context_game_id, u.points_line_values
                FROM ml_feature_store_v2 f
                LEFT JOIN upcoming_player_game_context u
                       ON u.game_date = f.game_date AND u.player_lookup = f.player_lookup
                WHERE f.game_date = :date \(playerClause)
                ORDER BY f.player_lookup
                """, arguments: statementArguments)
            let gameRows = try Row.fetchAll(db, sql: """
                SELECT player_lookup, game_date, points, opponent_def_rating_last_15, days_rest, is_home,
                       points_avg_last_5, points_avg_season
                FROM (
                    SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.player_lookup ORDER BY s.game_date DESC) AS position
                    FROM player_game_summary s
                    WHERE s.game_date < :date AND s.game_date >= :since
                      AND s.player_lookup IN (
                          SELECT f.player_lookup FROM ml_feature_store_v2 f WHERE f.game_date = :date \(playerClause))
                )
                WHERE position <= :limit
                ORDER BY player_lookup, game_date DESC
                """, arguments: statementArguments)
            return (featureRows, gameRows)
        }
        let recent = try recentGamesByPlayer(gameRows)
        var parser = FeatureRowParser(path: path, date: date)
        return try featureRows.map { row in
            var input = try parser.parse(row)
            input.recentGames = recent[input.player] ?? []
            return input
        }
    }

    private func recentGamesByPlayer(_ rows: [Row]) throws -> [PlayerLookup: [RecentGame]] {
        var result: [PlayerLookup: [RecentGame]] = [:]
        for row in rows {
            let gameDate = try parseDate(row["game_date"], column: "player_game_summary.game_date")
            let isHome: Int? = row["is_home"]
            let game = RecentGame(gameDate: gameDate, points: row["points"],
                                  opponentDefRatingLast15: row["opponent_def_rating_last_15"], daysRest: row["days_rest"],
                                  isHome: isHome.map { $0 != 0 }, pointsAvgLast5: row["points_avg_last_5"],
                                  pointsAvgSeason: row["points_avg_season"])
            result[PlayerLookup(row["player_lookup"] as String), default: []].append(game)
        }
        return result
    }
}

/// Turns one joined features + context row into a ``PlayerInput`` (without recent games),
/// caching the parsed `feature_names` array, which is the same text on almost every row.
private struct FeatureRowParser {
    let path: String
    let date: GameDate
    private var cachedNamesText = ""
    private var cachedNames: [String] = []
    private let decoder = JSONDecoder()

    init(path: String, date: GameDate) {
        self.path = path
        self.date = date
    }

    mutating func parse(_ row: Row) throws -> PlayerInput {
        let player = PlayerLookup(row["player_lookup"] as String)
        let namesText: String = row["feature_names"]
        if namesText != cachedNamesText {
            cachedNames = try decode([String].self, namesText, "feature_names", player)
            cachedNamesText = namesText
        }
        let values = try decode([Double].self, row["features"], "features", player)
        guard values.count == cachedNames.count else {
            throw problem("\(player) has \(values.count) features but \(cachedNames.count) feature names")
        }
        let sourceText: String = row["data_source"]
        guard let source = DataSource(rawValue: sourceText) else {
            throw problem("\(player) has unknown data_source '\(sourceText)'")
        }
        let linesText: String? = row["points_line_values"]
        let lines = try linesText.map { try decode([Double].self, $0, "points_line_values", player) } ?? []
        let contextGameID: String? = row["context_game_id"]
        return PlayerInput(player: player, gameDate: date, gameID: GameID(contextGameID ?? row["game_id"]),
                           features: Dictionary(zip(cachedNames, values), uniquingKeysWith: { first, _ in first }),
                           featureQualityScore: row["feature_quality_score"], dataSource: source,
                           lineValues: lines.map { LineValue($0) }, recentGames: [])
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String, _ column: String, _ player: PlayerLookup) throws -> T {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw problem("\(column) of \(player) is not a JSON array of the right type: \(text.prefix(80))")
        }
    }

    private func problem(_ what: String) -> StoreError {
        StoreError(what: what, where: "\(path) on \(date)", fix: "repair or regenerate the store")
    }
}
