import Foundation
import GRDB
import PropcastModels

extension FeatureStore {
    /// Most recent games shipped per player (the similarity system's history).
    public static let recentGameLimit = 30
    /// Only games within this many days before the game date count as recent.
    public static let recentGameWindowDays = 90

    /// The inputs of every player with a readable row on `date`, and the players whose rows
    /// cannot be read with the reason (naming the column, the date and the player): one bad
    /// row skips one player, never the date.
    public struct LoadedInputs: Sendable {
        /// Readable players, sorted by player.
        public var inputs: [PlayerInput]
        /// Unreadable players → why.
        public var unreadable: [PlayerLookup: String]
    }

    /// Like ``loadInputs(on:players:)`` but strict: throws ``StoreError`` naming the first
    /// unreadable row (for tools that predict named players, where a silent skip would mislead).
    public func playerInputs(on date: GameDate, players: [PlayerLookup]? = nil) throws -> [PlayerInput] {
        let loaded = try loadInputs(on: date, players: players)
        if let (player, reason) = loaded.unreadable.min(by: { $0.key < $1.key }) {
            throw StoreError(what: reason, where: "\(path) on \(date) for \(player)", fix: "repair or regenerate the store")
        }
        return loaded.inputs
    }

    /// Everything needed to predict each player with features on `date`: the named features,
    /// quality and source, the lines and game id from the upcoming context, and up to
    /// ``recentGameLimit`` games strictly before `date` (within ``recentGameWindowDays`` days),
    /// newest first. Two queries in one read transaction: one for features + context, one for
    /// recent games. Sorted by player. A row that cannot be read (bad JSON, wrong feature count,
    /// NULLs, a bad date in a past game) puts its player in ``LoadedInputs/unreadable``.
    /// Throws ``StoreError`` only when the store cannot be queried.
    /// - Parameter players: restrict to these players (nil = everyone with features on the date).
    public func loadInputs(on date: GameDate, players: [PlayerLookup]? = nil) throws -> LoadedInputs {
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
        var (recent, unreadable) = recentGamesByPlayer(gameRows, date: date)
        var parser = FeatureRowParser(date: date)
        var inputs: [PlayerInput] = []
        inputs.reserveCapacity(featureRows.count)
        for row in featureRows {
            switch parser.parse(row) {
            case .success(var input):
                guard unreadable[input.player] == nil else { continue }
                input.recentGames = recent.removeValue(forKey: input.player) ?? []
                inputs.append(input)
            case .failure(let problem):
                unreadable[problem.player] = problem.reason
            }
        }
        return LoadedInputs(inputs: inputs, unreadable: unreadable)
    }

    private func recentGamesByPlayer(_ rows: [Row], date: GameDate) -> ([PlayerLookup: [RecentGame]], [PlayerLookup: String]) {
        var result: [PlayerLookup: [RecentGame]] = [:]
        var unreadable: [PlayerLookup: String] = [:]
        for row in rows {
            guard let lookup = row["player_lookup"] as String? else { continue }
            let player = PlayerLookup(lookup)
            let dateText = row["game_date"] as String?
            guard let gameDate = dateText.flatMap(GameDate.init) else {
                unreadable[player] = "player_game_summary.game_date of \(player) before \(date) holds "
                    + "'\(dateText ?? "NULL")', not a YYYY-MM-DD date"
                continue
            }
            guard let points = row["points"] as Double? else {
                unreadable[player] = "player_game_summary.points of \(player) on \(gameDate) is NULL"
                continue
            }
            let isHome: Int? = row["is_home"]
            let game = RecentGame(gameDate: gameDate, points: points,
                                  opponentDefRatingLast15: row["opponent_def_rating_last_15"], daysRest: row["days_rest"],
                                  isHome: isHome.map { $0 != 0 }, pointsAvgLast5: row["points_avg_last_5"],
                                  pointsAvgSeason: row["points_avg_season"])
            result[player, default: []].append(game)
        }
        return (result, unreadable)
    }
}

/// Turns one joined features + context row into a ``PlayerInput`` (without recent games),
/// caching the parsed `feature_names` array, which is the same text on almost every row.
/// A row that cannot be read gives the player and a reason naming the column and the date.
private struct FeatureRowParser {
    struct Problem: Error {
        let player: PlayerLookup
        let reason: String
    }

    let date: GameDate
    private var cachedNamesText = ""
    private var cachedNames: [String] = []
    private let decoder = JSONDecoder()

    init(date: GameDate) {
        self.date = date
    }

    mutating func parse(_ row: Row) -> Result<PlayerInput, Problem> {
        let player = PlayerLookup(row["player_lookup"] as String? ?? "")
        func problem(_ column: String, _ what: String) -> Result<PlayerInput, Problem> {
            .failure(Problem(player: player, reason: "ml_feature_store_v2.\(column) of \(player) on \(date) \(what)"))
        }
        guard let namesText = row["feature_names"] as String? else { return problem("feature_names", "is NULL") }
        if namesText != cachedNamesText {
            guard let names = decode([String].self, namesText) else {
                return problem("feature_names", "is not a JSON array of strings: \(namesText.prefix(80))")
            }
            cachedNames = names
            cachedNamesText = namesText
        }
        guard let valuesText = row["features"] as String?, let values = decode([Double].self, valuesText) else {
            return problem("features", "is not a JSON array of numbers: \((row["features"] as String?)?.prefix(80) ?? "NULL")")
        }
        guard values.count == cachedNames.count else {
            return problem("features", "holds \(values.count) numbers for \(cachedNames.count) feature_names")
        }
        guard let quality = row["feature_quality_score"] as Double? else {
            return problem("feature_quality_score", "is NULL or not a number")
        }
        let sourceText = row["data_source"] as String?
        guard let source = sourceText.flatMap(DataSource.init(rawValue:)) else {
            return problem("data_source", "is '\(sourceText ?? "NULL")', not phase4, phase3, mixed or mock")
        }
        let linesText: String? = row["points_line_values"]
        var lines: [Double] = []
        if let linesText {
            guard let parsed = decode([Double].self, linesText) else {
                return .failure(Problem(player: player, reason: "upcoming_player_game_context.points_line_values of \(player) "
                                        + "on \(date) is not a JSON array of numbers: \(linesText.prefix(80))"))
            }
            lines = parsed
        }
        guard let gameID = row["context_game_id"] as String? ?? row["game_id"] as String? else {
            return problem("game_id", "is NULL")
        }
        return .success(PlayerInput(player: player, gameDate: date, gameID: GameID(gameID),
                                    features: Dictionary(zip(cachedNames, values), uniquingKeysWith: { first, _ in first }),
                                    featureQualityScore: quality, dataSource: source,
                                    lineValues: lines.map { LineValue($0) }, recentGames: []))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? decoder.decode(type, from: Data(text.utf8))
    }
}
