import PropcastXGBoost
/// System `xgboost_v1` (SYSTEMS.md §7): Propcast's trained XGBoost model on the 25 features.
public struct XGBoostSystem: PredictionSystem {
    /// Value used for each of the 25 features when absent, in vector order (§7). The zone
    /// shares default to percents (30, 20, 30) although the features are fractions: upstream
    /// oddity, kept on purpose (§10).
    public static let vectorDefaults: [Double] = [
        10.0, 10.0, 10.0, 0, 0,   // last_5, last_10, season, std, minutes
        70, 0, 0, 0,              // fatigue, mismatch, pace, usage spike
        0, 0, 0, 0,               // the four reserved scores
        112, 100, 0, 1, 0,        // opponent def rating, opponent pace, is_home, days_rest, back_to_back
        30, 20, 30, 60,           // paint, mid-range, three, assisted
        100, 112, 25,             // team pace, team off rating, usage rate
    ]

    /// The model evaluated.
    public let model: XGBoostModel
    /// The system's id.
    public var id: SystemID { .xgboost }
    /// The version reported with every prediction (part of the prediction id).
    public let modelVersion: String
    /// The extras of every prediction, built once.
    private let extras: [String: ExtraValue]

    /// Creates the system around a loaded model; `modelVersion` defaults to the model's version.
    public init(model: XGBoostModel, modelVersion: String? = nil) {
        self.model = model
        self.modelVersion = modelVersion ?? model.version
        self.extras = ["model_version": .text(self.modelVersion),
                       "feature_version": .text(FeatureSet.v1BaselineVersion)]
    }

    /// The model's input row: the 25 features in §1 order, absent ones at their default, as
    /// 32-bit floats (xgboost compares features as floats). Nil when any value is NaN or
    /// infinite — before or after the conversion to Float.
    public static func featureVector(_ features: FeatureSet) -> [Float]? {
        var row = [Float](repeating: 0, count: FeatureSet.Feature.baseline.count)
        for feature in FeatureSet.Feature.baseline {
            let value = features.value(feature, default: vectorDefaults[feature.rawValue])
            let single = Float(value)
            guard value.isFinite, single.isFinite else { return nil }
            row[feature.rawValue] = single
        }
        return row
    }

    /// Confidence 0–100 of §7: 70; feature quality (default 80) ≥ 90 +10, ≥ 80 +7, ≥ 70 +5,
    /// ≥ 60 +2; points_std_last_10 (default 5) < 4 +10, < 6 +7, < 8 +5, else +2; clamp [0, 100].
    public static func confidence(qualityScore: Double, pointsStd: Double) -> Double {
        var confidence = 70.0
        if qualityScore >= 90 {
            confidence += 10
        } else if qualityScore >= 80 {
            confidence += 7
        } else if qualityScore >= 70 {
            confidence += 5
        } else if qualityScore >= 60 {
            confidence += 2
        }
        if pointsStd < 4 {
            confidence += 10
        } else if pointsStd < 6 {
            confidence += 7
        } else if pointsStd < 8 {
            confidence += 5
        } else {
            confidence += 2
        }
        return clamp(confidence, 0, 100)
    }

    /// Evaluates §7: pred_raw = clamp(model(vector), 0, 60); reports round2(pred_raw) and
    /// round2(confidence). A NaN/infinite vector → no prediction "invalid feature vector".
    public func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        let features = context.features
        guard let row = Self.featureVector(features) else { return .noPrediction(.invalidFeatureVector) }
        let prediction = clamp(model.predict(row), 0, 60)
        let confidence = Self.confidence(qualityScore: features.qualityScore,
                                         pointsStd: features.value(.pointsStdLast10, default: 5))
        return .prediction(SystemPrediction(
            systemID: id, modelVersion: modelVersion,
            predictedPoints: PythonRounding.round2(prediction),
            confidenceScore: PythonRounding.round2(confidence),
            rule: .xgboost(prediction: prediction, confidence: confidence), extras: extras))
    }
}
