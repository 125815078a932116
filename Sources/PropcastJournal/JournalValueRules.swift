import PropcastModels

/// The values the journal contract promises (Protocols/JOURNAL.md, "Values"), checked by every
/// reader: a line that breaks one is damage, named by line like a bad CRC. A prediction's
/// bounds are ``PredictionBounds``, the same the engine and the coordinator hold answers to.
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
        switch row.valueProblem {
        case nil: nil
        case .points(let value): "predicted_points \(value) is outside 0–60"
        case .confidence(let value): "confidence_score \(value) is outside 0–100"
        case .line(let value): "line_value \(value) is outside 0–100"
        case .margin(let value): "line_margin \(value) is not a finite number"
        case .callWithoutLine(let call): "recommendation \(call.rawValue) without a line (must be PASS)"
        }
    }
}
