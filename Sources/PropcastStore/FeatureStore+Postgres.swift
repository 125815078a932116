import PropcastModels
import PropcastPostgres

/// The store's queries on PostgreSQL: the same results as the SQLite ones (players ordered
/// byte-wise with `COLLATE "C"`, as SQLite orders text; dates read as `YYYY-MM-DD` text).
extension FeatureStore {
    func postgresGameDates(_ connection: PostgresConnection) throws -> [GameDate] {
        let result = try connection.query("SELECT DISTINCT game_date::text FROM ml_feature_store_v2 ORDER BY 1",
                                          operation: "listing game dates")
        return try (0..<result.rowCount).map { try parseDate(result.text($0, 0), column: "ml_feature_store_v2.game_date") }
    }

    func postgresActualPoints(_ connection: PostgresConnection, from: GameDate, to: GameDate) throws -> [GradingKey: Double] {
        let result = try connection.query("""
            SELECT player_lookup, game_date::text, points FROM player_game_summary
            WHERE game_date BETWEEN $1::date AND $2::date
            """, [from.description, to.description], operation: "reading actual points")
        var points: [GradingKey: Double] = [:]
        points.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            let date = try parseDate(result.text(row, 1), column: "player_game_summary.game_date")
            guard let value = result.number(row, 2) else { continue }
            points[GradingKey(player: PlayerLookup(result.text(row, 0)), gameDate: date)] = value
        }
        return points
    }

    func postgresReadiness(_ connection: PostgresConnection, on date: GameDate) throws -> Readiness {
        let operation = "measuring readiness for \(date)"
        let expected = try connection.query("SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = $1::date",
                                            [date.description], operation: operation)
        let rows = try connection.query("""
            SELECT feature_quality_score, is_production_ready FROM ml_feature_store_v2 WHERE game_date = $1::date
            ORDER BY player_lookup COLLATE "C"
            """, [date.description], operation: operation)
        var tally = ReadinessTally()
        for row in 0..<rows.rowCount {
            tally.add(quality: rows.number(row, 0), isProductionReady: rows.text(row, 1) == "t")
        }
        return tally.readiness(of: date, expectedPlayers: Int(expected.number(0, 0) ?? 0))
    }

    func postgresInfo(_ connection: PostgresConnection) throws -> StoreInfo {
        let result = try connection.query("""
            SELECT MIN(game_date)::text, MAX(game_date)::text, COUNT(DISTINCT game_date), COUNT(DISTINCT player_lookup),
                   COUNT(*), (SELECT COUNT(*) FROM player_game_summary), (SELECT COUNT(*) FROM upcoming_player_game_context)
            FROM ml_feature_store_v2
            """, operation: "summarizing the store")
        func date(_ column: Int) throws -> GameDate? {
            result.isNull(0, column) ? nil : try parseDate(result.text(0, column), column: "ml_feature_store_v2.game_date")
        }
        func count(_ column: Int) -> Int { Int(result.number(0, column) ?? 0) }
        return StoreInfo(firstDate: try date(0), lastDate: try date(1), gameDates: count(2), players: count(3),
                         featureRows: count(4), gameSummaryRows: count(5), upcomingRows: count(6))
    }

    /// ``forEachInputChunk(on:players:chunkSize:_:)`` on PostgreSQL: both queries in one
    /// repeatable-read transaction (one snapshot), merged as on SQLite.
    func postgresInputChunks(_ connection: PostgresConnection, on date: GameDate, players: [PlayerLookup]?,
                             chunkSize: Int, _ body: (LoadedInputs) throws -> Bool) throws {
        func playerClause(_ parameter: Int) -> String {
            players == nil ? "" : "AND f.player_lookup = ANY($\(parameter)::text[])"
        }
        let list = players.map { PostgresConnection.textArray($0.map(\.rawValue)) }
        let since = date.adding(days: -Self.recentGameWindowDays).description
        let operation = "loading player inputs for \(date)"
        try connection.transaction("ISOLATION LEVEL REPEATABLE READ READ ONLY", operation: operation) { session in
            let games = try session.query("""
                SELECT s.player_lookup, s.game_date::text, s.points, s.opponent_def_rating_last_15, s.days_rest,
                       s.is_home::int, s.points_avg_last_5, s.points_avg_season
                FROM player_game_summary s
                WHERE s.game_date < $1::date AND s.game_date >= $2::date
                  AND s.player_lookup IN (
                      SELECT f.player_lookup FROM ml_feature_store_v2 f WHERE f.game_date = $1::date \(playerClause(3)))
                ORDER BY s.player_lookup COLLATE "C", s.game_date DESC
                """, [date.description, since] + (list.map { [$0] } ?? []), operation: operation)
            let features = try session.query("""
                SELECT f.player_lookup, f.game_id, f.feature_names, f.features, f.feature_quality_score,
                       f.data_source, u.game_id AS context_game_id, u.points_line_values
                FROM ml_feature_store_v2 f
                LEFT JOIN upcoming_player_game_context u
                       ON u.game_date = f.game_date AND u.player_lookup = f.player_lookup
                WHERE f.game_date = $1::date \(playerClause(2))
                ORDER BY f.player_lookup COLLATE "C"
                """, [date.description] + (list.map { [$0] } ?? []), operation: operation)
            var recent = RecentGameReader(rows: PostgresRowCursor(games), date: date, limit: Self.recentGameLimit)
            var featureRows = PostgresRowCursor(features)
            try PlayerInputAssembler.assemble(date: date, features: &featureRows, recentGames: &recent,
                                              chunkSize: chunkSize, body)
        }
    }
}
