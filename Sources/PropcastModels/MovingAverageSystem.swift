/// System `moving_average` — Moving Average Baseline v1.0 (SYSTEMS.md §4).
///
/// base = 0.50·last_5 + 0.30·last_10 + 0.20·season; adjustments summed in the order fatigue,
/// zone mismatch, back-to-back, pace, venue, usage; pred = clamp(base + adjustments, 0, 60).
/// No rounding. Rule confidence and recommendation (§3). Reads `fatigue_score` as "high =
/// tired" (a penalty) while similarity reads it the other way: upstream oddity, kept (§10).
public struct MovingAverageSystem: PredictionSystem {
    /// The default version: `ModelRegistry.ruleSystemVersions[.movingAverage]`.
    public static let defaultVersion = ModelRegistry.ruleSystemVersions[.movingAverage] ?? "moving_average_baseline_v1.0"

    /// The system's id.
    public var id: SystemID { .movingAverage }
    /// The version reported with every prediction (part of the prediction id).
    public let modelVersion: String

    /// Creates the system reporting `modelVersion`.
    public init(modelVersion: String = Self.defaultVersion) {
        self.modelVersion = modelVersion
    }

    /// Evaluates the formula of §4; throws when a feature it reads is absent.
    public func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        let f = context.features
        let last5 = try f.required(.pointsAvgLast5, by: id)
        let last10 = try f.required(.pointsAvgLast10, by: id)
        let season = try f.required(.pointsAvgSeason, by: id)
        let fatigue = try f.required(.fatigueScore, by: id)
        let mismatch = try f.required(.shotZoneMismatchScore, by: id)
        let backToBack = try f.required(.backToBack, by: id)
        let pace = try f.required(.paceScore, by: id)
        let homeAway = try f.required(.isHome, by: id)  // upstream name `home_away`
        let usageSpike = try f.required(.usageSpikeScore, by: id)

        let base = 0.50 * last5 + 0.30 * last10 + 0.20 * season
        let fatigueAdjustment = fatigue > 70 ? -2.5 : (fatigue > 50 ? -1.0 : 0)
        let backToBackAdjustment = backToBack == 1 ? -1.5 : 0
        let venueAdjustment = homeAway == 1 ? 0.5 : -0.5
        var adjustments = fatigueAdjustment
        adjustments += 0.3 * mismatch
        adjustments += backToBackAdjustment
        adjustments += 0.3 * pace
        adjustments += venueAdjustment
        adjustments += 0.4 * usageSpike
        let prediction = clamp(base + adjustments, 0, 60)

        let confidence = try RuleConfidence.score(f, system: id)
        return .prediction(SystemPrediction(
            systemID: id, modelVersion: modelVersion, predictedPoints: prediction,
            confidenceScore: confidence * 100,
            rule: .rule(prediction: prediction, confidence: confidence)))
    }
}
