import GRDB

/// The feature store's tables (DESIGN.md §4), created by GRDB migrations.
///
/// `ml_feature_store_v2` keeps the upstream shape exactly — `feature_names` and `features`
/// are JSON arrays — because the model-training script reads it directly.
public enum StoreSchema {
    /// Feature vectors per player and game date.
    public static let featureTable = "ml_feature_store_v2"
    /// Played games: the similarity system's history and the grading truth.
    public static let gameSummaryTable = "player_game_summary"
    /// Who is expected to play on a date, against whom, and the points lines.
    public static let upcomingTable = "upcoming_player_game_context"

    /// The identifier of every migration, oldest first.
    public static let migrationIdentifiers = ["v1_feature_store"]

    /// The migrator that creates or upgrades a store.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_feature_store") { db in
            try db.execute(sql: """
                CREATE TABLE ml_feature_store_v2 (
                    player_lookup TEXT NOT NULL,
                    game_date TEXT NOT NULL,
                    game_id TEXT NOT NULL,
                    feature_version TEXT NOT NULL,
                    feature_names TEXT NOT NULL,
                    features TEXT NOT NULL,
                    feature_quality_score REAL NOT NULL,
                    data_source TEXT NOT NULL CHECK (data_source IN ('phase4', 'phase3', 'mixed', 'mock')),
                    is_production_ready INTEGER NOT NULL,
                    PRIMARY KEY (player_lookup, game_date)
                );
                CREATE INDEX ml_feature_store_v2_by_date ON ml_feature_store_v2 (game_date, is_production_ready);
                CREATE TABLE player_game_summary (
                    player_lookup TEXT NOT NULL,
                    game_date TEXT NOT NULL,
                    game_id TEXT NOT NULL,
                    team_abbr TEXT NOT NULL,
                    opponent_team_abbr TEXT NOT NULL,
                    is_home INTEGER NOT NULL,
                    days_rest INTEGER,
                    minutes REAL,
                    points REAL NOT NULL,
                    opponent_def_rating_last_15 REAL,
                    points_avg_last_5 REAL,
                    points_avg_season REAL,
                    PRIMARY KEY (player_lookup, game_date)
                );
                CREATE INDEX player_game_summary_by_date ON player_game_summary (game_date, player_lookup);
                CREATE TABLE upcoming_player_game_context (
                    game_date TEXT NOT NULL,
                    game_id TEXT NOT NULL,
                    player_lookup TEXT NOT NULL,
                    team_abbr TEXT NOT NULL,
                    opponent_team_abbr TEXT NOT NULL,
                    is_home INTEGER NOT NULL,
                    points_line_values TEXT NOT NULL,
                    PRIMARY KEY (game_date, player_lookup)
                );
                """)
        }
        return migrator
    }
}
