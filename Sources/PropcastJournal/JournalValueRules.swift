import PropcastModels

/// The values the journal contract promises (Protocols/JOURNAL.md, "Values"), checked by every
/// reader: a line that breaks one is damage, named by line like a bad CRC.
///
/// - prediction: `predicted_points` a finite number in 0–60, `confidence_score` in 0–100,
///   `line_value` absent or in 0–100, `line_margin` absent (no line) or finite, `recommendation` one of
///   OVER, UNDER, PASS (the decoder refuses anything else) and PASS when there is no line;
/// - batch_finished: `coverage_percent` in 0–100;
/// - every record: `ts` not before the previous record's (seq continuity is checked apart).
enum JournalValueRules {
    /// What is wrong with `entry`'s values, or nil.
    static func problem(in entry: JournalEntry) -> String? {
        switch entry {
        case .prediction(let row):
            return problem(in: row)
        case .batchFinished(let finished):
            guard finished.coveragePercent.isFinite, (0...100).contains(finished.coveragePercent) else {
                return "coverage_percent \(finished.coveragePercent) is outside 0–100"
            }
            return nil
        case .batchStarted, .playerSkipped, .playerFailed, .attemptFailed, .superseded:
            return nil
        }
    }

    private static func problem(in row: PredictionRow) -> String? {
        guard row.predictedPoints.isFinite, (0...60).contains(row.predictedPoints) else {
            return "predicted_points \(row.predictedPoints) is outside 0–60"
        }
        guard row.confidenceScore.isFinite, (0...100).contains(row.confidenceScore) else {
            return "confidence_score \(row.confidenceScore) is outside 0–100"
        }
        if let line = row.line?.rawValue, !(line.isFinite && (0...100).contains(line)) {
            return "line_value \(line) is outside 0–100"
        }
        if let margin = row.lineMargin, !margin.isFinite {
            return "line_margin \(margin) is not a finite number"
        }
        if row.line == nil, row.recommendation != .pass {
            return "recommendation \(row.recommendation.rawValue) without a line (must be PASS)"
        }
        return nil
    }
}
