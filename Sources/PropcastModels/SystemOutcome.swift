/// What a system says about one player: a prediction, or no prediction with the reason.
public enum SystemOutcome: Sendable, Hashable {
    /// The system predicted.
    case prediction(SystemPrediction)
    /// The system ran but has nothing to say for this player; reported as a skip of that
    /// system (for every line), not as a row and not as a failure.
    case noPrediction(SkipReason)
}

/// Why a system produced no prediction for a player.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// Similarity: the player has no recent games.
    case noHistoricalGames
    /// Similarity: fewer than 5 past games are similar enough (`found` = how many are).
    case insufficientSimilarGames(found: Int, needed: Int)
    /// XGBoost: the feature vector holds NaN or ±infinity.
    case invalidFeatureVector
    /// Ensemble: fewer than 2 base systems gave a valid prediction (`count` = how many did).
    case insufficientSystems(count: Int)

    /// The upstream's wording, e.g. `insufficient similar games (found 3, need 5)`.
    public var description: String {
        switch self {
        case .noHistoricalGames: "no historical games"
        case .insufficientSimilarGames(let found, let needed): "insufficient similar games (found \(found), need \(needed))"
        case .invalidFeatureVector: "invalid feature vector"
        case .insufficientSystems(let count): "insufficient systems: \(count)"
        }
    }
}

/// One system's prediction for one player, independent of the line.
public struct SystemPrediction: Sendable, Hashable {
    /// The system that predicted.
    public var systemID: SystemID
    /// Its model version.
    public var modelVersion: String
    /// The reported predicted points (rounded where the system rounds, SYSTEMS.md §6–§7).
    public var predictedPoints: Double
    /// The reported confidence on the common 0–100 scale (rule systems and ensemble ×100).
    public var confidenceScore: Double
    /// How the recommendation is made for a line, with the unrounded numbers it uses.
    public var rule: RecommendationRule
    /// System-specific outputs under the upstream's names.
    public var extras: [String: ExtraValue]

    /// Creates a prediction.
    public init(systemID: SystemID, modelVersion: String, predictedPoints: Double, confidenceScore: Double,
                rule: RecommendationRule, extras: [String: ExtraValue] = [:]) {
        self.systemID = systemID
        self.modelVersion = modelVersion
        self.predictedPoints = predictedPoints
        self.confidenceScore = confidenceScore
        self.rule = rule
        self.extras = extras
    }

    /// The recommendation against `line` (nil = no line → `PASS`).
    public func recommendation(for line: LineValue?) -> Recommendation {
        rule.recommendation(for: line)
    }
}

extension SystemPrediction {
    /// Why this prediction is garbage (predicted points not a number in 0–60, confidence not
    /// a number in 0–100), or nil when it is sane. The engine reports garbage as a failure.
    public var outputProblem: String? {
        if !PredictionBounds.holds(predictedPoints, in: PredictionBounds.points) {
            return "returned predicted points \(predictedPoints), expected a number in 0–60"
        }
        if !PredictionBounds.holds(confidenceScore, in: PredictionBounds.confidence) {
            return "returned confidence \(confidenceScore), expected a number in 0–100"
        }
        return nil
    }
}
