import Foundation
import PropcastModels

/// The SQL of ``PostgresPredictionTable``: the upstream's `player_prop_predictions` columns,
/// the export progress per date, and the staging table a COPY fills before the merge.
enum PostgresPredictionSQL {
    static let createTables = """
        CREATE TABLE IF NOT EXISTS player_prop_predictions (
            prediction_id text PRIMARY KEY,
            system_id text NOT NULL,
            player_lookup text NOT NULL,
            game_date date NOT NULL,
            game_id text NOT NULL,
            predicted_points double precision NOT NULL,
            confidence_score double precision NOT NULL CHECK (confidence_score BETWEEN 0 AND 100),
            recommendation text NOT NULL CHECK (recommendation IN ('OVER', 'UNDER', 'PASS')),
            current_points_line double precision,
            line_margin double precision,
            is_active boolean NOT NULL,
            model_version text NOT NULL,
            input_fingerprint text,
            created_at timestamptz NOT NULL,
            extras jsonb NOT NULL
        );
        CREATE INDEX IF NOT EXISTS player_prop_predictions_by_date ON player_prop_predictions (game_date, player_lookup);
        CREATE TABLE IF NOT EXISTS propcast_export_progress (
            game_date date PRIMARY KEY,
            last_seq bigint,
            last_prev text,
            exported_at timestamptz NOT NULL DEFAULT now()
        );
        """

    static let columns = """
        prediction_id, system_id, player_lookup, game_date, game_id, predicted_points, confidence_score, recommendation,
        current_points_line, line_margin, is_active, model_version, input_fingerprint, created_at, extras
        """

    static let createStaging = """
        CREATE TEMPORARY TABLE propcast_export_staging (LIKE player_prop_predictions INCLUDING DEFAULTS) ON COMMIT DROP
        """

    static let copyStaging = "COPY propcast_export_staging (\(columns)) FROM STDIN"

    /// Inserts new ids, updates rows whose values differ, leaves identical rows alone;
    /// returns `t` per inserted row and `f` per updated one.
    static let merge = """
        INSERT INTO player_prop_predictions (\(columns))
        SELECT \(columns) FROM propcast_export_staging
        ON CONFLICT (prediction_id) DO UPDATE SET
            system_id = EXCLUDED.system_id, player_lookup = EXCLUDED.player_lookup, game_date = EXCLUDED.game_date,
            game_id = EXCLUDED.game_id, predicted_points = EXCLUDED.predicted_points,
            confidence_score = EXCLUDED.confidence_score, recommendation = EXCLUDED.recommendation,
            current_points_line = EXCLUDED.current_points_line, line_margin = EXCLUDED.line_margin,
            is_active = EXCLUDED.is_active, model_version = EXCLUDED.model_version,
            input_fingerprint = EXCLUDED.input_fingerprint, created_at = EXCLUDED.created_at, extras = EXCLUDED.extras
        WHERE (player_prop_predictions.*) IS DISTINCT FROM (EXCLUDED.*)
        RETURNING (xmax = 0)
        """

    /// The COPY fields of a row, in ``columns`` order.
    static func fields(_ row: PredictionTable.Row, active: Bool, encoder: JSONEncoder) throws -> [String?] {
        let p = row.prediction
        return [
            p.predictionID.description, p.systemID.rawValue, p.player.rawValue, p.gameDate.description, p.gameID.rawValue,
            "\(p.predictedPoints)", "\(p.confidenceScore)", p.recommendation.rawValue, p.line.map { "\($0.rawValue)" },
            p.lineMargin.map { "\($0)" }, active ? "t" : "f", p.modelVersion, p.inputFingerprint?.hex, row.createdAt,
            String(decoding: try encoder.encode(p.extras), as: UTF8.self),
        ]
    }
}
