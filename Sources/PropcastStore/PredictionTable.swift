import Foundation
import GRDB
import PropcastModels

/// The `player_prop_predictions` table: the upstream's output rows, filled from a journal by
/// `propcast journal export`. Writes are idempotent upserts keyed by `prediction_id`, so
/// exporting the same journal again changes nothing.
public enum PredictionTable {
    /// The table's name.
    public static let name = "player_prop_predictions"

    /// One stored row: the prediction and when it became durable in the journal.
    public struct Row: Sendable, Hashable {
        /// The prediction.
        public var prediction: PredictionRow
        /// ISO-8601 UTC with milliseconds: the journal record's `ts`.
        public var createdAt: String

        /// Creates a row.
        public init(prediction: PredictionRow, createdAt: String) {
            self.prediction = prediction
            self.createdAt = createdAt
        }
    }

    /// What an ``upsert(_:removing:in:)`` changed.
    public struct UpsertSummary: Sendable, Hashable, CustomStringConvertible {
        /// Rows that did not exist.
        public var inserted: Int
        /// Rows that existed with different values.
        public var updated: Int
        /// Rows that existed with the same values.
        public var unchanged: Int
        /// Superseded rows deleted.
        public var removed: Int

        /// Creates a summary (all zero by default).
        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, removed: Int = 0) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
            self.removed = removed
        }

        /// `3 inserted, 0 updated, 11247 unchanged, 0 removed`.
        public var description: String {
            "\(inserted) inserted, \(updated) updated, \(unchanged) unchanged, \(removed) removed"
        }
    }

    /// Creates the table and its indexes when missing.
    public static func createIfNeeded(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS \(name) (
                prediction_id TEXT PRIMARY KEY NOT NULL,
                system_id TEXT NOT NULL,
                player_lookup TEXT NOT NULL,
                game_date TEXT NOT NULL,
                game_id TEXT NOT NULL,
                predicted_points REAL NOT NULL,
                confidence_score REAL NOT NULL CHECK (confidence_score BETWEEN 0 AND 100),
                recommendation TEXT NOT NULL CHECK (recommendation IN ('OVER', 'UNDER', 'PASS')),
                line_value REAL,
                line_margin REAL,
                extras TEXT NOT NULL,
                model_version TEXT NOT NULL,
                created_at TEXT NOT NULL,
                input_fingerprint TEXT
            );
            CREATE INDEX IF NOT EXISTS \(name)_by_date_player ON \(name) (game_date, player_lookup);
            """)
        // Tables exported before input fingerprints existed gain the column.
        let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('\(name)')")
        if !columns.contains("input_fingerprint") {
            try db.execute(sql: "ALTER TABLE \(name) ADD COLUMN input_fingerprint TEXT")
        }
    }

    /// ``upsert(_:removing:in:)`` into the SQLite file at `databasePath` (created if missing).
    public static func upsert(_ rows: [Row], removing superseded: Set<PredictionID> = [],
                              databasePath: String) throws -> UpsertSummary {
        try upsert(rows, removing: superseded, in: try DatabaseQueue(path: databasePath))
    }

    /// In one transaction: creates the table if needed, inserts or updates `rows` by
    /// `prediction_id` (a row whose stored values are identical is left untouched) and deletes
    /// the `removing` ids. Throws GRDB's `DatabaseError` or an `EncodingError` for extras JSON
    /// cannot hold (NaN).
    public static func upsert(_ rows: [Row], removing superseded: Set<PredictionID> = [],
                              in writer: some DatabaseWriter) throws -> UpsertSummary {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let prepared = try rows.map { row in
            (row, String(decoding: try encoder.encode(row.prediction.extras), as: UTF8.self))
        }
        return try writer.write { db in
            try createIfNeeded(db)
            var summary = UpsertSummary()
            let exists = try db.makeStatement(sql: "SELECT 1 FROM \(name) WHERE prediction_id = ?")
            let upsert = try db.makeStatement(sql: upsertSQL)
            for (row, extras) in prepared {
                let p = row.prediction
                let existed = try Int.fetchOne(exists, arguments: [p.predictionID.description]) != nil
                try upsert.execute(arguments: [
                    p.predictionID.description, p.systemID.rawValue, p.player.rawValue, p.gameDate.description,
                    p.gameID.rawValue, p.predictedPoints, p.confidenceScore, p.recommendation.rawValue,
                    p.line?.rawValue, p.lineMargin, extras, p.modelVersion, row.createdAt, p.inputFingerprint?.hex,
                ])
                if db.changesCount == 0 {
                    summary.unchanged += 1
                } else if existed {
                    summary.updated += 1
                } else {
                    summary.inserted += 1
                }
            }
            let delete = try db.makeStatement(sql: "DELETE FROM \(name) WHERE prediction_id = ?")
            for id in superseded.sorted(by: { $0.description < $1.description }) {
                try delete.execute(arguments: [id.description])
                summary.removed += db.changesCount
            }
            return summary
        }
    }

    /// The stored rows of `gameDate`, ordered by player, system and line.
    /// Throws GRDB's `DatabaseError`, or `DecodingError` for a row this module did not write.
    public static func fetchAll(_ db: Database, gameDate: GameDate) throws -> [Row] {
        let decoder = JSONDecoder()
        return try GRDB.Row.fetchAll(db, sql: """
            SELECT * FROM \(name) WHERE game_date = ?
            ORDER BY player_lookup, system_id, line_value, prediction_id
            """, arguments: [gameDate.description]).map { stored in
            let idText: String = stored["prediction_id"]
            guard let id = PredictionID(idText), let date = GameDate(stored["game_date"]),
                  let recommendation = Recommendation(rawValue: stored["recommendation"]) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [],
                    debugDescription: "\(name) row \(idText) has an invalid id, date or recommendation"))
            }
            let extrasText: String = stored["extras"]
            let lineValue: Double? = stored["line_value"]
            let fingerprintText: String? = stored["input_fingerprint"]
            let prediction = PredictionRow(
                predictionID: id, systemID: SystemID(rawValue: stored["system_id"]),
                player: PlayerLookup(rawValue: stored["player_lookup"]), gameDate: date,
                gameID: GameID(rawValue: stored["game_id"]), predictedPoints: stored["predicted_points"],
                confidenceScore: stored["confidence_score"], recommendation: recommendation,
                line: lineValue.map(LineValue.init(rawValue:)), lineMargin: stored["line_margin"],
                extras: try decoder.decode([String: ExtraValue].self, from: Data(extrasText.utf8)),
                modelVersion: stored["model_version"], inputFingerprint: fingerprintText.flatMap(InputFingerprint.init(hex:)))
            return Row(prediction: prediction, createdAt: stored["created_at"])
        }
    }

    private static let upsertSQL = """
        INSERT INTO \(name) (prediction_id, system_id, player_lookup, game_date, game_id, predicted_points,
            confidence_score, recommendation, line_value, line_margin, extras, model_version, created_at,
            input_fingerprint)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (prediction_id) DO UPDATE SET
            system_id = excluded.system_id, player_lookup = excluded.player_lookup,
            game_date = excluded.game_date, game_id = excluded.game_id,
            predicted_points = excluded.predicted_points, confidence_score = excluded.confidence_score,
            recommendation = excluded.recommendation, line_value = excluded.line_value,
            line_margin = excluded.line_margin, extras = excluded.extras,
            model_version = excluded.model_version, created_at = excluded.created_at,
            input_fingerprint = excluded.input_fingerprint
        WHERE (system_id, player_lookup, game_date, game_id, predicted_points, confidence_score,
               recommendation, line_value, line_margin, extras, model_version, created_at, input_fingerprint)
           IS NOT (excluded.system_id, excluded.player_lookup, excluded.game_date, excluded.game_id,
               excluded.predicted_points, excluded.confidence_score, excluded.recommendation,
               excluded.line_value, excluded.line_margin, excluded.extras, excluded.model_version,
               excluded.created_at, excluded.input_fingerprint)
        """
}
