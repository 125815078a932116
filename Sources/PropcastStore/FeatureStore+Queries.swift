import GRDB
import PropcastModels

/// Row counts and the date range of a store, for `propcast store info`.
public struct StoreInfo: Sendable, Hashable {
    /// First date with feature rows; nil for an empty store.
    public var firstDate: GameDate?
    /// Last date with feature rows; nil for an empty store.
    public var lastDate: GameDate?
    /// Distinct game dates with feature rows.
    public var gameDates: Int
    /// Distinct players with feature rows.
    public var players: Int
    /// Rows in `ml_feature_store_v2`.
    public var featureRows: Int
    /// Rows in `player_game_summary`.
    public var gameSummaryRows: Int
    /// Rows in `upcoming_player_game_context`.
    public var upcomingRows: Int
}

extension StoreInfo {
    /// `store PATH`, its date range, players and row counts, for `propcast store info`.
    public func text(path: String) -> String {
        """
        store \(path)
          game dates \(gameDates): \(firstDate?.description ?? "-") … \(lastDate?.description ?? "-")
          players \(players)
          rows: ml_feature_store_v2 \(featureRows), player_game_summary \(gameSummaryRows), \
        upcoming_player_game_context \(upcomingRows)
        """
    }
}

extension FeatureStore {
    /// Every date with feature rows, ascending.
    public func gameDates() throws -> [GameDate] {
        if case .postgres(let connection) = backend { return try postgresGameDates(connection) }
        let texts = try read("listing game dates") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT game_date FROM ml_feature_store_v2 ORDER BY game_date")
        }
        return try texts.map { try parseDate($0, column: "ml_feature_store_v2.game_date") }
    }

    /// Actual points of every played game with `from ≤ game_date ≤ to`, for grading.
    public func actualPoints(from: GameDate, to: GameDate) throws -> [GradingKey: Double] {
        if case .postgres(let connection) = backend { return try postgresActualPoints(connection, from: from, to: to) }
        let rows = try read("reading actual points") { db in
            try Row.fetchAll(db, sql: """
                SELECT player_lookup, game_date, points FROM player_game_summary
                WHERE game_date BETWEEN ? AND ?
                """, arguments: [from.description, to.description])
        }
        var result: [GradingKey: Double] = [:]
        result.reserveCapacity(rows.count)
        for row in rows {
            let date = try parseDate(row["game_date"], column: "player_game_summary.game_date")
            // A NULL player or points is a row without an outcome to grade (not a trap in GRDB's conversion).
            guard let player: String = row["player_lookup"], let points: Double = row["points"] else { continue }
            result[GradingKey(player: PlayerLookup(player), gameDate: date)] = points
        }
        return result
    }

    /// Expected players, production-ready players and average quality on `date`.
    public func readiness(on date: GameDate) throws -> Readiness {
        if case .postgres(let connection) = backend { return try postgresReadiness(connection, on: date) }
        return try read("measuring readiness for \(date)") { db in
            let day = date.description
            let expected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?",
                                            arguments: [day]) ?? 0
            var tally = ReadinessTally()
            var rows = try SQLiteRowCursor(db, sql: """
                SELECT feature_quality_score, is_production_ready FROM ml_feature_store_v2 WHERE game_date = ?
                ORDER BY player_lookup
                """, arguments: [day])
            while let row = try rows.next() {
                tally.add(quality: row.real(0).value, isProductionReady: (row.integer(1).value ?? 0) != 0)
            }
            return tally.readiness(of: date, expectedPlayers: expected)
        }
    }

    /// Date range and row counts.
    public func info() throws -> StoreInfo {
        if case .postgres(let connection) = backend { return try postgresInfo(connection) }
        let (row, summaryRows, upcomingRows) = try read("summarizing the store") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT MIN(game_date) AS first, MAX(game_date) AS last, COUNT(DISTINCT game_date) AS dates,
                       COUNT(DISTINCT player_lookup) AS players, COUNT(*) AS rows FROM ml_feature_store_v2
                """)
            let summaryRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM player_game_summary") ?? 0
            let upcomingRows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upcoming_player_game_context") ?? 0
            return (row, summaryRows, upcomingRows)
        }
        let first: String? = row?["first"], last: String? = row?["last"]
        return StoreInfo(firstDate: try first.map { try parseDate($0, column: "ml_feature_store_v2.game_date") },
                         lastDate: try last.map { try parseDate($0, column: "ml_feature_store_v2.game_date") },
                         gameDates: row?["dates"] ?? 0, players: row?["players"] ?? 0, featureRows: row?["rows"] ?? 0,
                         gameSummaryRows: summaryRows, upcomingRows: upcomingRows)
    }

    func parseDate(_ text: String?, column: String) throws -> GameDate {
        guard let text, let date = GameDate(text) else {
            throw StoreError(what: "\(column) holds '\(text ?? "NULL")', not a YYYY-MM-DD date", where: path,
                             fix: "repair or regenerate the store")
        }
        return date
    }
}
