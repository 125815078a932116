import GRDB
import PropcastModels

/// Writes whole dates of rows into the three tables with prepared statements, inside the one
/// transaction of ``FeatureStore/writeRows(_:)``.
public struct StoreRowWriter {
    private let feature: Statement
    private let summary: Statement
    private let upcoming: Statement

    init(_ db: Database) throws {
        feature = try db.makeStatement(sql: """
            INSERT INTO ml_feature_store_v2 (player_lookup, game_date, game_id, feature_version, feature_names,
                features, feature_quality_score, data_source, is_production_ready) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        summary = try db.makeStatement(sql: """
            INSERT INTO player_game_summary (player_lookup, game_date, game_id, team_abbr, opponent_team_abbr, is_home,
                days_rest, minutes, points, opponent_def_rating_last_15, points_avg_last_5, points_avg_season)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upcoming = try db.makeStatement(sql: """
            INSERT INTO upcoming_player_game_context (game_date, game_id, player_lookup, team_abbr,
                opponent_team_abbr, is_home, points_line_values) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Inserts one date's feature, context and result rows (features as ``BaselineFeatures``).
    public func write(date: GameDate, features: [FeatureRecord], contexts: [ContextRecord],
                      results: [ResultRecord]) throws {
        let day = date.description
        for row in features {
            try feature.execute(arguments: [row.player, day, row.gameID, BaselineFeatures.version,
                                            BaselineFeatures.namesJSON, Self.jsonArray(row.values), row.quality,
                                            row.dataSource.rawValue, row.isProductionReady])
        }
        for row in results {
            try summary.execute(arguments: [row.player, day, row.gameID, row.team, row.opponent, row.isHome,
                                            row.daysRest, row.minutes, row.points, row.opponentDefRatingLast15,
                                            row.pointsAvgLast5, row.pointsAvgSeason])
        }
        for row in contexts {
            try upcoming.execute(arguments: [day, row.gameID, row.player, row.team, row.opponent, row.isHome,
                                             Self.jsonArray(row.lines)])
        }
    }

    /// `[1.5,2.0]`: shortest round-trip decimals, never `-0.0`.
    static func jsonArray(_ values: [Double]) -> String {
        "[" + values.map { "\($0 + 0.0)" }.joined(separator: ",") + "]"
    }
}

extension FeatureStore {
    /// Runs `body` in one write transaction with a ``StoreRowWriter``; rolls back when it throws.
    /// Throws ``StoreError`` naming the file.
    public func writeRows(_ body: (StoreRowWriter) throws -> Void) throws {
        try edit("writing rows") { db in try body(try StoreRowWriter(db)) }
    }
}
