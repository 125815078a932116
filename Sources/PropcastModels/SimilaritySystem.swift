import Foundation

/// System `similarity_balanced_v1` (SYSTEMS.md §6): predicts from the player's past games
/// played in similar situations, weighted by similarity, plus small adjustments.
///
/// Upstream oddities kept on purpose (§10): `fatigue_score` is read as "high = fresh"
/// ((fatigue − 70)·0.015 is added), opposite to the rule systems; the predicted points use
/// the *rounded* adjustment total.
public struct SimilaritySystem: PredictionSystem {
    /// The default version: `ModelRegistry.ruleSystemVersions[.similarity]`.
    public static let defaultVersion = ModelRegistry.ruleSystemVersions[.similarity] ?? "similarity_balanced_v1.0"
    /// Past games considered (the first ones, newest first).
    public static let maximumHistory = 30
    /// Past games at least this similar are kept.
    public static let minimumSimilarity = 70
    /// At most this many of the most similar games are used.
    public static let maximumSimilarGames = 20
    /// Fewer similar games than this → no prediction.
    public static let minimumSimilarGames = 5

    /// The system's id.
    public var id: SystemID { .similarity }
    /// The version reported with every prediction (part of the prediction id).
    public let modelVersion: String

    /// Creates the system reporting `modelVersion`.
    public init(modelVersion: String = Self.defaultVersion) {
        self.modelVersion = modelVersion
    }

    /// Evaluates §6. Without recent games → no prediction "no historical games"; with fewer
    /// than 5 similar ones → no prediction "insufficient similar games (found n, need 5)".
    public func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        guard !context.recentGames.isEmpty else { return .noPrediction(.noHistoricalGames) }
        let f = context.features
        let current = SimilarityContext(current: f)

        // Keep similarity ≥ 70, stable-sorted by similarity (ties keep newest-first order), first 20.
        var kept: [(points: Double, similarity: Int)] = []
        kept.reserveCapacity(min(context.recentGames.count, Self.maximumHistory))
        for game in context.recentGames.prefix(Self.maximumHistory) {
            let similarity = current.similarity(to: SimilarityContext(past: game))
            if similarity >= Self.minimumSimilarity { kept.append((game.points, similarity)) }
        }
        kept.sort { $0.similarity > $1.similarity }  // the standard library's sort is stable
        if kept.count > Self.maximumSimilarGames { kept.removeLast(kept.count - Self.maximumSimilarGames) }
        guard kept.count >= Self.minimumSimilarGames else {
            return .noPrediction(.insufficientSimilarGames(found: kept.count, needed: Self.minimumSimilarGames))
        }

        var weightedPoints = 0.0
        var weights = 0.0
        var similaritySum = 0
        var pointsSum = 0.0
        for game in kept {
            let weight = Double(game.similarity) / 100
            weightedPoints += game.points * weight
            weights += weight
            similaritySum += game.similarity
            pointsSum += game.points
        }
        let count = Double(kept.count)
        let baseline = weightedPoints / weights
        let meanSimilarity = Double(similaritySum) / count
        let pointsMean = pointsSum / count
        var squares = 0.0
        for game in kept { squares += (game.points - pointsMean) * (game.points - pointsMean) }
        let pointsStd = (squares / count).squareRoot()

        let fatigueAdjustment = (f.value(.fatigueScore, default: 70) - 70) * 0.015
        let zoneAdjustment = 0.4 * f.value(.shotZoneMismatchScore, default: 0)
        let paceAdjustment = 0.8 * f.value(.paceScore, default: 0)
        let usageAdjustment = 0.8 * f.value(.usageSpikeScore, default: 0)
        let venueAdjustment = current.isHome ? 0.8 : -0.5
        let total = PythonRounding.round2(
            fatigueAdjustment + zoneAdjustment + paceAdjustment + usageAdjustment + venueAdjustment)
        let prediction = clamp(baseline + total, 0, 60)
        let confidence = Self.confidence(count: kept.count, meanSimilarity: meanSimilarity, pointsStd: pointsStd)

        let round2 = PythonRounding.round2
        let extras: [String: ExtraValue] = [
            "similar_games_count": .integer(kept.count),
            "avg_similarity_score": .number(round2(meanSimilarity)),
            "similarity_baseline": .number(round2(baseline)),
            "fatigue_adjustment": .number(round2(fatigueAdjustment)),
            "zone_matchup_adjustment": .number(round2(zoneAdjustment)),
            "pace_adjustment": .number(round2(paceAdjustment)),
            "usage_adjustment": .number(round2(usageAdjustment)),
            "venue_adjustment": .number(round2(venueAdjustment)),
            "total_adjustment": .number(total),
        ]
        return .prediction(SystemPrediction(
            systemID: id, modelVersion: modelVersion, predictedPoints: round2(prediction),
            confidenceScore: round2(confidence),
            rule: .similarity(prediction: prediction, confidence: confidence), extras: extras))
    }

    /// Confidence 0–100 of §6: 35; count ≥ 15 +12, ≥ 10 +9, ≥ 7 +6, ≥ 5 −10, else −15;
    /// mean similarity ≥ 85 +12, ≥ 75 +9, ≥ 70 +6, else +3; std of the kept games' points
    /// < 4 +10, < 6 +6, < 8 +2, else −5; clamp to [0, 100].
    public static func confidence(count: Int, meanSimilarity: Double, pointsStd: Double) -> Double {
        var confidence = 35.0
        if count >= 15 {
            confidence += 12
        } else if count >= 10 {
            confidence += 9
        } else if count >= 7 {
            confidence += 6
        } else if count >= 5 {
            confidence -= 10
        } else {
            confidence -= 15
        }
        if meanSimilarity >= 85 {
            confidence += 12
        } else if meanSimilarity >= 75 {
            confidence += 9
        } else if meanSimilarity >= 70 {
            confidence += 6
        } else {
            confidence += 3
        }
        if pointsStd < 4 {
            confidence += 10
        } else if pointsStd < 6 {
            confidence += 6
        } else if pointsStd < 8 {
            confidence += 2
        } else {
            confidence -= 5
        }
        return clamp(confidence, 0, 100)
    }
}
