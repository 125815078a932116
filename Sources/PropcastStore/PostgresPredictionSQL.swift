import Foundation
import PropcastModels
import PropcastPostgres

/// The SQL of ``PostgresPredictionTable``: the upstream's `player_prop_predictions` columns,
/// the export progress per date, and the staging table a COPY fills before the merge. The two
/// indexed text columns are ids compared byte by byte (`COLLATE "C"`), which keeps index
/// maintenance, most of a COPY's server time, off the locale's collation.
enum PostgresPredictionSQL {
    static let createTables = """
        CREATE TABLE IF NOT EXISTS player_prop_predictions (
            prediction_id text COLLATE "C" PRIMARY KEY,
            system_id text NOT NULL,
            player_lookup text COLLATE "C" NOT NULL,
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

    /// A date's first export writes straight into the table.
    static let copyTable = "COPY player_prop_predictions (\(columns)) FROM STDIN"

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

    /// Writes a row's COPY fields, in ``columns`` order.
    static func write(_ row: PredictionTable.Row, active: Bool, to copy: inout CopyWriter) throws {
        let p = row.prediction
        let extras: [UInt8]
        do {
            extras = try CompactJSONWriter.extrasObject(p.extras)
        } catch {
            throw StoreError(what: "prediction \(p.predictionID) has extras JSON cannot hold: \(error)", where: "player_prop_predictions",
                             fix: "run `propcast journal verify` on the journal it came from")
        }
        for field in [p.predictionID.description, p.systemID.rawValue, p.player.rawValue, p.gameDate.description,
                      p.gameID.rawValue, p.predictedPoints.description, p.confidenceScore.description, p.recommendation.rawValue,
                      p.line?.rawValue.description, p.lineMargin?.description, active ? "t" : "f", p.modelVersion,
                      p.inputFingerprint?.hex, row.createdAt, String(decoding: extras, as: UTF8.self)] {
            copy.field(field)
        }
        try copy.endRow()
    }
}
