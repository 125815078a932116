import GRDB
import PropcastModels
import PropcastPostgres

/// Writes whole dates of rows into the three tables, inside the one transaction of
/// ``FeatureStore/writeRows(_:)``: prepared statements on SQLite, a COPY per table and date
/// on PostgreSQL.
public struct StoreRowWriter {
    private enum Target {
        case sqlite(feature: Statement, summary: Statement, upcoming: Statement)
        case postgres(PostgresConnection.Session)
    }

    private let target: Target

    init(_ session: PostgresConnection.Session) {
        target = .postgres(session)
    }

    init(_ db: Database) throws {
        let feature = try db.makeStatement(sql: """
            INSERT INTO ml_feature_store_v2 (player_lookup, game_date, game_id, feature_version, feature_names,
                features, feature_quality_score, data_source, is_production_ready) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let summary = try db.makeStatement(sql: """
            INSERT INTO player_game_summary (player_lookup, game_date, game_id, team_abbr, opponent_team_abbr, is_home,
                days_rest, minutes, points, opponent_def_rating_last_15, points_avg_last_5, points_avg_season)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let upcoming = try db.makeStatement(sql: """
            INSERT INTO upcoming_player_game_context (game_date, game_id, player_lookup, team_abbr,
                opponent_team_abbr, is_home, points_line_values) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        target = .sqlite(feature: feature, summary: summary, upcoming: upcoming)
    }

    /// Inserts one date's feature, context and result rows (features as ``BaselineFeatures``).
    public func write(date: GameDate, features: [FeatureRecord], contexts: [ContextRecord],
                      results: [ResultRecord]) throws {
        let day = date.description
        switch target {
        case .postgres(let session):
            try Self.copy(day: day, features: features, contexts: contexts, results: results, session)
        case .sqlite(let feature, let summary, let upcoming):
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
    }

    private static func copy(day: String, features: [FeatureRecord], contexts: [ContextRecord],
                             results: [ResultRecord], _ session: PostgresConnection.Session) throws {
        func flag(_ value: Bool) -> String { value ? "t" : "f" }
        func number(_ value: Double) -> String { "\(value + 0.0)" }  // never -0, as SQLite stores it
        let operation = "writing the rows of \(day)"
        _ = try session.copyIn("""
            COPY ml_feature_store_v2 (player_lookup, game_date, game_id, feature_version, feature_names, features,
                feature_quality_score, data_source, is_production_ready) FROM STDIN
            """, operation: operation) { copy in
            for row in features {
                try copy.row([row.player, day, row.gameID, BaselineFeatures.version, BaselineFeatures.namesJSON,
                              jsonArray(row.values), number(row.quality), row.dataSource.rawValue, flag(row.isProductionReady)])
            }
        }
        _ = try session.copyIn("""
            COPY player_game_summary (player_lookup, game_date, game_id, team_abbr, opponent_team_abbr, is_home, days_rest,
                minutes, points, opponent_def_rating_last_15, points_avg_last_5, points_avg_season) FROM STDIN
            """, operation: operation) { copy in
            for row in results {
                try copy.row([row.player, day, row.gameID, row.team, row.opponent, flag(row.isHome), "\(row.daysRest)",
                              number(row.minutes), number(row.points), number(row.opponentDefRatingLast15),
                              number(row.pointsAvgLast5), number(row.pointsAvgSeason)])
            }
        }
        _ = try session.copyIn("""
            COPY upcoming_player_game_context (game_date, game_id, player_lookup, team_abbr, opponent_team_abbr, is_home,
                points_line_values) FROM STDIN
            """, operation: operation) { copy in
            for row in contexts {
                try copy.row([day, row.gameID, row.player, row.team, row.opponent, flag(row.isHome), jsonArray(row.lines)])
            }
        }
    }

    /// `[1.5,2.0]`: shortest round-trip decimals, never `-0.0`.
    static func jsonArray(_ values: [Double]) -> String {
        "[" + values.map { "\($0 + 0.0)" }.joined(separator: ",") + "]"
    }
}

extension FeatureStore {
    /// Runs `body` in one write transaction with a ``StoreRowWriter``; rolls back when it throws.
    /// Throws ``StoreError`` naming the file. On PostgreSQL the three tables are analyzed after
    /// the commit, so the first queries after a bulk load are planned on their real sizes.
    public func writeRows(_ body: (StoreRowWriter) throws -> Void) throws {
        if case .postgres(let connection) = backend {
            try connection.transaction(operation: "writing rows") { session in try body(StoreRowWriter(session)) }
            return try connection.execute("ANALYZE ml_feature_store_v2, player_game_summary, upcoming_player_game_context",
                                          operation: "analyzing the written tables")
        }
        try edit("writing rows") { db in try body(try StoreRowWriter(db)) }
    }
}
