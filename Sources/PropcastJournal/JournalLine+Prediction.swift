import PropcastModels

extension JournalLine {
    /// The payload of a prediction record, written directly (no `JSONEncoder`) because a game
    /// date has ~11,000 of them: the row's snake_case fields in sorted key order, `extras` keys
    /// sorted, absent `input_fingerprint`/`line_value`/`line_margin` omitted. `dateText` is the row's game date
    /// already formatted. Throws ``JournalError/invalidEntry(_:)`` for non-finite numbers.
    static func encodePredictionPayload(_ row: PredictionRow, dateText: String) throws -> [UInt8] {
        do {
            return try encodedPrediction(row, dateText: dateText)
        } catch {
            throw JournalError.invalidEntry("\(error)")
        }
    }

    private static func encodedPrediction(_ row: PredictionRow, dateText: String) throws(CompactJSONWriter.NonFiniteNumber) -> [UInt8] {
        var json = CompactJSONWriter()
        try json.member("confidence_score", row.confidenceScore)
        try json.member("extras", extras: row.extras)
        json.member("game_date", dateText)
        json.member("game_id", row.gameID.rawValue)
        if let fingerprint = row.inputFingerprint { json.member("input_fingerprint", fingerprint.hex) }
        if let margin = row.lineMargin { try json.member("line_margin", margin) }
        if let line = row.line { try json.member("line_value", line.rawValue) }
        json.member("model_version", row.modelVersion)
        json.member("player_lookup", row.player.rawValue)
        try json.member("predicted_points", row.predictedPoints)
        json.member("prediction_id", row.predictionID.description)
        json.member("recommendation", row.recommendation.rawValue)
        json.member("system_id", row.systemID.rawValue)
        return json.bytes
    }
}
