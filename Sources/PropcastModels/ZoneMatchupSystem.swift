/// System `zone_matchup_v1` — Zone Matchup v1.0 (SYSTEMS.md §5).
///
/// base = points_avg_season; per zone (paint 1.2, mid-range 1.0, three 1.1, free throw 0.8)
/// score = clamp((opponent_def_rating − 110)·0.3·m, −3, 3), weighted by the player's share in
/// that zone (≥ 0.40 → 1.0, ≥ 0.20 → 0.7, else 0.4); then pace, venue and fatigue.
/// pred = clamp(base + zone_adj + pace + venue + fatigue, 0, 60), added left to right. No rounding.
///
/// Upstream oddities kept on purpose (§10): the per-zone score ignores the player's share
/// (only the weight uses it); `pct_free_throw` is not among the 25 so its share is the
/// fallback 12.0 (weight 1.0) every time; high fatigue is read as tired.
public struct ZoneMatchupSystem: PredictionSystem {
    /// The default version: `ModelRegistry.ruleSystemVersions[.zoneMatchup]`.
    public static let defaultVersion = ModelRegistry.ruleSystemVersions[.zoneMatchup] ?? "zone_matchup_v1.0"

    /// The system's id.
    public var id: SystemID { .zoneMatchup }
    /// The version reported with every prediction (part of the prediction id).
    public let modelVersion: String

    /// Creates the system reporting `modelVersion`.
    public init(modelVersion: String = Self.defaultVersion) {
        self.modelVersion = modelVersion
    }

    /// The usage weight w(u) of §5 for a zone share `u`.
    public static func usageWeight(_ share: Double) -> Double {
        share >= 0.40 ? 1.0 : (share >= 0.20 ? 0.7 : 0.4)
    }

    /// The per-zone score of §5 for a zone multiplier `m`.
    public static func zoneScore(opponentDefRating: Double, multiplier: Double) -> Double {
        clamp((opponentDefRating - 110) * 0.3 * multiplier, -3, 3)
    }

    /// Evaluates the formula of §5; throws when a feature it reads is absent.
    public func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        let f = context.features
        let base = try f.required(.pointsAvgSeason, by: id)
        let opponent = try f.required(.opponentDefRatingLast15, by: id)  // upstream `opponent_def_rating`
        let paint = try f.required(.paintRateLast10, by: id)            // `pct_paint`
        let midRange = try f.required(.midRangeRateLast10, by: id)      // `pct_mid_range`
        let three = try f.required(.threePtRateLast10, by: id)          // `pct_three`
        let freeThrow = f.value(.pctFreeThrow, default: FeatureSet.pctFreeThrowFallback)
        let pace = try f.required(.paceScore, by: id)
        let homeAway = try f.required(.isHome, by: id)
        let fatigue = try f.required(.fatigueScore, by: id)

        var zoneAdjustment = 0.0
        zoneAdjustment += Self.zoneScore(opponentDefRating: opponent, multiplier: 1.2) * Self.usageWeight(paint)
        zoneAdjustment += Self.zoneScore(opponentDefRating: opponent, multiplier: 1.0) * Self.usageWeight(midRange)
        zoneAdjustment += Self.zoneScore(opponentDefRating: opponent, multiplier: 1.1) * Self.usageWeight(three)
        zoneAdjustment += Self.zoneScore(opponentDefRating: opponent, multiplier: 0.8) * Self.usageWeight(freeThrow)
        let paceAdjustment = 0.4 * pace
        let venueAdjustment = homeAway == 1 ? 0.8 : -0.8
        let fatigueAdjustment = fatigue > 70 ? -1.5 : (fatigue > 50 ? -0.8 : 0)
        let prediction = clamp(base + zoneAdjustment + paceAdjustment + venueAdjustment + fatigueAdjustment, 0, 60)

        let confidence = try RuleConfidence.score(f, system: id)
        return .prediction(SystemPrediction(
            systemID: id, modelVersion: modelVersion, predictedPoints: prediction,
            confidenceScore: confidence * 100,
            rule: .rule(prediction: prediction, confidence: confidence)))
    }
}
