/// System `ensemble_v1` — ensemble v2.0 (SYSTEMS.md §8): a confidence-weighted mean of the
/// four base systems' predictions for the same player.
///
/// Each valid base prediction contributes its *reported* predicted points and 0–100
/// confidence: unrounded for moving average and zone matchup (confidence ×100), rounded for
/// similarity and XGBoost — the upstream mixes them; kept on purpose (§10).
public struct EnsembleSystem: PredictionSystem {
    /// The default version: `ModelRegistry.ruleSystemVersions[.ensemble]`.
    public static let defaultVersion = ModelRegistry.ruleSystemVersions[.ensemble] ?? "ensemble_v2.0"
    /// Fewer valid base predictions than this → no prediction.
    public static let minimumSystems = 2

    /// The systems evaluated when the context carries no base predictions.
    public let baseSystems: [any PredictionSystem]
    /// The system's id.
    public var id: SystemID { .ensemble }
    /// The version reported with every prediction (part of the prediction id).
    public let modelVersion: String

    /// Creates the ensemble over `baseSystems` (normally moving average, zone matchup,
    /// similarity and XGBoost, in that order).
    public init(baseSystems: [any PredictionSystem], modelVersion: String = Self.defaultVersion) {
        self.baseSystems = baseSystems
        self.modelVersion = modelVersion
    }

    /// Combines `context.basePredictions` when present; otherwise evaluates `baseSystems`
    /// first, leaving out any that throws, has no prediction or returns garbage (§8).
    public func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        if let bases = context.basePredictions { return combine(bases) }
        var bases: [SystemPrediction] = []
        for system in baseSystems {
            // A failed base system is left out of the ensemble by specification; the engine,
            // which reports failures, passes its base predictions in instead of coming here.
            guard case .prediction(let prediction)? = try? system.evaluate(context),
                  prediction.outputProblem == nil else { continue }
            bases.append(prediction)
        }
        return combine(bases)
    }

    /// The ensemble of already-evaluated valid base predictions, in base-system order.
    public func combine(_ bases: [SystemPrediction]) -> SystemOutcome {
        guard bases.count >= Self.minimumSystems else {
            return .noPrediction(.insufficientSystems(count: bases.count))
        }
        let count = Double(bases.count)
        var weighted = 0.0
        var confidenceSum = 0.0
        var predictionSum = 0.0
        var lowest = Double.infinity
        var highest = -Double.infinity
        for base in bases {
            weighted += base.predictedPoints * base.confidenceScore
            confidenceSum += base.confidenceScore
            predictionSum += base.predictedPoints
            lowest = min(lowest, base.predictedPoints)
            highest = max(highest, base.predictedPoints)
        }
        let prediction = confidenceSum == 0 ? 0 : clamp(weighted / confidenceSum, 0, 60)
        let meanConfidence = confidenceSum / count
        let predictionMean = predictionSum / count
        var squares = 0.0
        for base in bases {
            squares += (base.predictedPoints - predictionMean) * (base.predictedPoints - predictionMean)
        }
        let spread = (squares / count).squareRoot()

        var confidence = meanConfidence
        if spread < 2.0 {
            confidence += 10
        } else if spread < 3.0 {
            confidence += 5
        } else if spread < 6.0 {
            confidence -= 5
        } else {
            confidence -= 10
        }
        if bases.count == 4 { confidence += 5 }
        confidence = clamp(confidence, 20, 95)
        // The ensemble's native confidence is 0–1 (confidence / 100) and rows report it ×100
        // (SYSTEMS.md §9), as upstream; both steps are kept so the bits match.
        let nativeConfidence = confidence / 100

        let extras: [String: ExtraValue] = [
            "systems_used": .list(bases.map(\.systemID.rawValue)),
            "agreement": .text(Self.agreement(spread: spread)),
            "base_prediction_std": .number(spread),
            "base_prediction_min": .number(lowest),
            "base_prediction_max": .number(highest),
        ]
        return .prediction(SystemPrediction(
            systemID: id, modelVersion: modelVersion, predictedPoints: prediction,
            confidenceScore: nativeConfidence * 100,
            rule: .ensemble(prediction: prediction, confidence: confidence, bases: bases.map(\.rule)),
            extras: extras))
    }

    /// Agreement type from the std of the base predictions: < 2 high, < 3 good, < 6 moderate, else low.
    public static func agreement(spread: Double) -> String {
        spread < 2 ? "high" : (spread < 3 ? "good" : (spread < 6 ? "moderate" : "low"))
    }
}
