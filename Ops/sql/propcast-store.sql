-- Propcast feature store on PostgreSQL, schema version 1.
--
-- The same three tables as the embedded SQLite store (DESIGN.md §4), written by the
-- feature-store writer (the upstream's Phase 4 processors) and read by `propcast` with
-- `--store postgresql://…`. `feature_names`, `features` and `points_line_values` are JSON
-- array text exactly as in SQLite, so both stores give byte-identical journals.
--
-- Apply (idempotent; a DBA can read and run it):
--   psql "postgresql://owner@db.example:5432/propcast" -v ON_ERROR_STOP=1 -f Ops/sql/propcast-store.sql
-- Propcast checks propcast_schema on connect and names this file when the version is behind.

BEGIN;

CREATE TABLE IF NOT EXISTS propcast_schema (
    component text PRIMARY KEY,
    version integer NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ml_feature_store_v2 (
    player_lookup text NOT NULL,
    game_date date NOT NULL,
    game_id text NOT NULL,
    feature_version text NOT NULL,
    feature_names text NOT NULL,
    features text NOT NULL,
    feature_quality_score double precision NOT NULL,
    data_source text NOT NULL CHECK (data_source IN ('phase4', 'phase3', 'mixed', 'mock')),
    is_production_ready boolean NOT NULL,
    PRIMARY KEY (player_lookup, game_date)
);
CREATE INDEX IF NOT EXISTS ml_feature_store_v2_by_date ON ml_feature_store_v2 (game_date, is_production_ready);

CREATE TABLE IF NOT EXISTS player_game_summary (
    player_lookup text NOT NULL,
    game_date date NOT NULL,
    game_id text NOT NULL,
    team_abbr text NOT NULL,
    opponent_team_abbr text NOT NULL,
    is_home boolean NOT NULL,
    days_rest integer,
    minutes double precision,
    points double precision NOT NULL,
    opponent_def_rating_last_15 double precision,
    points_avg_last_5 double precision,
    points_avg_season double precision,
    PRIMARY KEY (player_lookup, game_date)
);
CREATE INDEX IF NOT EXISTS player_game_summary_by_date ON player_game_summary (game_date, player_lookup);

CREATE TABLE IF NOT EXISTS upcoming_player_game_context (
    game_date date NOT NULL,
    game_id text NOT NULL,
    player_lookup text NOT NULL,
    team_abbr text NOT NULL,
    opponent_team_abbr text NOT NULL,
    is_home boolean NOT NULL,
    points_line_values text NOT NULL,
    PRIMARY KEY (game_date, player_lookup)
);

INSERT INTO propcast_schema (component, version) VALUES ('feature_store', 1)
    ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now();

COMMIT;
