import Foundation
import GRDB
import PropcastModels

/// Fills a new feature store with a deterministic synthetic season (see ``StoreSeedConfiguration``).
///
/// The same configuration always yields the same rows in the same order, hence the same file
/// bytes. Everything is written in one transaction with prepared statements.
public struct StoreSeeder: Sendable {
    /// What to generate.
    public var configuration: StoreSeedConfiguration

    /// What a seeding run wrote.
    public struct Summary: Sendable, Hashable {
        /// First game date written; nil when the range held no games.
        public var firstDate: GameDate?
        /// Last game date written.
        public var lastDate: GameDate?
        /// Number of game dates.
        public var gameDates: Int
        /// Players in the league.
        public var players: Int
        /// Rows written to `ml_feature_store_v2`.
        public var featureRows: Int
        /// Rows written to `player_game_summary` (games actually played).
        public var gameSummaryRows: Int
        /// Rows written to `upcoming_player_game_context`.
        public var upcomingRows: Int
    }

    /// Creates a seeder for `configuration`.
    public init(configuration: StoreSeedConfiguration) {
        self.configuration = configuration
    }

    /// Creates the store file at `path` (which must not exist) and fills it.
    /// Throws ``StoreError`` for a bad configuration, an existing file, or a write failure.
    @discardableResult
    public func seed(path: String) throws -> Summary {
        var simulator = try SeasonSimulator(configuration: configuration)
        let store = try FeatureStore.create(path: path)
        defer { try? store.close() }
        var summary = Summary(firstDate: nil, lastDate: nil, gameDates: 0, players: simulator.playerCount,
                              featureRows: 0, gameSummaryRows: 0, upcomingRows: 0)
        do {
            try store.database.write { db in
                let writer = try RowWriter(db)
                try simulator.run { day in
                    try writer.write(day)
                    summary.firstDate = summary.firstDate ?? day.date
                    summary.lastDate = day.date
                    summary.gameDates += 1
                    summary.featureRows += day.features.count
                    summary.gameSummaryRows += day.results.count
                    summary.upcomingRows += day.contexts.count
                }
            }
        } catch {
            throw StoreError(what: "seeding failed: \(error)", where: path, fix: "check free disk space and retry")
        }
        return summary
    }
}

/// Prepared insert statements for the three tables.
private struct RowWriter {
    let feature: Statement
    let summary: Statement
    let upcoming: Statement

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

    func write(_ day: SeasonDay) throws {
        let date = day.date.description
        for row in day.features {
            try feature.execute(arguments: [row.player, date, row.gameID, BaselineFeatures.version,
                                            BaselineFeatures.namesJSON, Self.jsonArray(row.values), row.quality,
                                            row.dataSource.rawValue, row.isProductionReady])
        }
        for row in day.results {
            try summary.execute(arguments: [row.player, date, row.gameID, row.team, row.opponent, row.isHome,
                                            row.daysRest, row.minutes, row.points, row.opponentDefRatingLast15,
                                            row.pointsAvgLast5, row.pointsAvgSeason])
        }
        for row in day.contexts {
            try upcoming.execute(arguments: [date, row.gameID, row.player, row.team, row.opponent, row.isHome,
                                             Self.jsonArray(row.lines)])
        }
    }

    /// `[1.5,2.0]`: shortest round-trip decimals, never `-0.0`.
    static func jsonArray(_ values: [Double]) -> String {
        "[" + values.map { "\($0 + 0.0)" }.joined(separator: ",") + "]"
    }
}
