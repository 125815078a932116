import Foundation

/// The operator-facing JSON output of `propcast predict --json`: one line per input object.
///
/// ```
/// {"player_lookup": "lebronjames", "game_date": "2025-01-15", "game_id": "20250115_LAL_BOS",
///  "predictions": [{"system_id": "moving_average", "line": 24.5, "predicted_points": 26.1,
///                   "confidence_score": 60.0, "recommendation": "PASS", "line_margin": 1.6,
///                   "model_version": "moving_average_baseline_v1.0", "prediction_id": "…",
///                   …the system's extras, e.g. "similar_games_count": 12…}],
///  "skipped": [{"system_id": "similarity_balanced_v1", "reason": "no historical games"}],
///  "failed": [{"system_id": "xgboost_v1", "reason": "…"}]}
/// ```
/// `line` and `line_margin` are null when the player has no line. A player skipped by
/// validation has no predictions and one `{"player": "<player_lookup>", "reason": "…"}` entry
/// in `skipped` per problem. Keys are written sorted, so equal results give equal bytes.
extension PlayerPredictions {
    /// The result as one JSON line (no trailing newline).
    /// - Throws: `EncodingError` if a custom system put NaN or infinity into its extras.
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONLine(self)), as: UTF8.self)
    }
}

/// The encodable shape of ``PlayerPredictions/jsonLine()``.
private struct JSONLine: Encodable {
    let result: PlayerPredictions
    init(_ result: PlayerPredictions) { self.result = result }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(result.player.rawValue, forKey: "player_lookup")
        try container.encode(result.gameDate.description, forKey: "game_date")
        try container.encode(result.gameID.rawValue, forKey: "game_id")
        try container.encode(result.rows.map(JSONRow.init), forKey: "predictions")
        var skipped = result.validationProblems.map { JSONReason(key: "player", id: result.player.rawValue, reason: $0.description) }
        skipped += result.skips.map { JSONReason(key: "system_id", id: $0.systemID.rawValue, reason: $0.reason.description) }
        try container.encode(skipped, forKey: "skipped")
        try container.encode(result.failures.map { JSONReason(key: "system_id", id: $0.systemID.rawValue, reason: $0.reason) },
                             forKey: "failed")
    }
}

/// One prediction row: the fixed fields, and the extras under their own names (an extra named
/// like a fixed field is left out; the row's own field wins).
private struct JSONRow: Encodable {
    let row: PredictionRow
    init(_ row: PredictionRow) { self.row = row }

    static let fixedKeys: Set<String> = [
        "system_id", "line", "predicted_points", "confidence_score", "recommendation", "line_margin",
        "model_version", "prediction_id", "input_fingerprint",
    ]

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for (name, value) in row.extras where !Self.fixedKeys.contains(name) {
            try container.encode(value, forKey: JSONKey(name))
        }
        try container.encode(row.systemID.rawValue, forKey: "system_id")
        try container.encode(row.line?.rawValue, forKey: "line")
        try container.encode(row.predictedPoints, forKey: "predicted_points")
        try container.encode(row.confidenceScore, forKey: "confidence_score")
        try container.encode(row.recommendation.rawValue, forKey: "recommendation")
        try container.encode(row.lineMargin, forKey: "line_margin")
        try container.encode(row.modelVersion, forKey: "model_version")
        try container.encode(row.predictionID.description, forKey: "prediction_id")
        try container.encodeIfPresent(row.inputFingerprint?.hex, forKey: "input_fingerprint")
    }
}

/// `{"<key>": "<id>", "reason": "<reason>"}`.
private struct JSONReason: Encodable {
    let key: String
    let id: String
    let reason: String

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(id, forKey: JSONKey(key))
        try container.encode(reason, forKey: "reason")
    }
}

/// A JSON object key chosen at run time.
private struct JSONKey: CodingKey, ExpressibleByStringLiteral {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringLiteral name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
