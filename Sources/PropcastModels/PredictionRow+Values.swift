/// The values every prediction keeps, wherever it is checked: a system's output (the engine),
/// a worker's answer (the coordinator), a journal line (every reader).
public enum PredictionBounds {
    /// Predicted points.
    public static let points: ClosedRange<Double> = 0...60
    /// Confidence on the common scale.
    public static let confidence: ClosedRange<Double> = 0...100
    /// A points line.
    public static let line: ClosedRange<Double> = 0...100

    /// Whether `value` is a finite number inside `range`.
    public static func holds(_ value: Double, in range: ClosedRange<Double>) -> Bool {
        value.isFinite && range.contains(value)
    }
}

extension PredictionRow {
    /// A value of the row outside ``PredictionBounds`` (or a call without a line that is not PASS).
    public enum ValueProblem: Sendable, Hashable {
        case points(Double)
        case confidence(Double)
        case line(Double)
        case margin(Double)
        case callWithoutLine(Recommendation)
    }

    /// The first value the row breaks, nil when every value holds.
    public var valueProblem: ValueProblem? {
        if !PredictionBounds.holds(predictedPoints, in: PredictionBounds.points) { return .points(predictedPoints) }
        if !PredictionBounds.holds(confidenceScore, in: PredictionBounds.confidence) { return .confidence(confidenceScore) }
        if let value = line?.rawValue, !PredictionBounds.holds(value, in: PredictionBounds.line) { return .line(value) }
        if let lineMargin, !lineMargin.isFinite { return .margin(lineMargin) }
        if line == nil, recommendation != .pass { return .callWithoutLine(recommendation) }
        return nil
    }
}
