import PropcastModels
import Testing

/// XGBoost system (SYSTEMS.md §7) over ``TinyXGBoostModel`` (base 20; season < 20 → −5 else +5;
/// paint share < 25 → +0.25 else +1.5).
struct BoostedTreeSystemTests {
    func evaluate(_ overrides: [String: Double] = [:], removing: [String] = [], quality: Double = 95,
                  baseScore: String = "2E1") throws -> SystemOutcome {
        let system = XGBoostSystem(model: try TinyXGBoostModel.model(baseScore: baseScore))
        return try system.evaluate(PredictionContext(features: EngineFixture.features(overrides, removing: removing, quality: quality)))
    }

    @Test func predictionIsTheModelOutputWithBandedConfidence() throws {
        // 20 + 5 (season 22 ≥ 20) + 0.25 (paint 0.45 < 25) = 25.25; confidence 70 + 10 (quality 95) + 7 (std 5) = 87
        let prediction = try EngineFixture.prediction(evaluate())
        #expect(prediction.predictedPoints == 25.25)
        #expect(prediction.confidenceScore == 87)
        #expect(prediction.rule == .xgboost(prediction: 25.25, confidence: 87))
        #expect(prediction.modelVersion == "xgboost_test_v1")
        #expect(prediction.extras["model_version"] == .text("xgboost_test_v1"))
    }

    @Test func absentFeaturesTakeTheDocumentedDefaults() throws {
        // season absent → 10.0 (< 20 → −5); paint absent → 30, a percent (≥ 25 → +1.5): 20 − 5 + 1.5 = 16.5;
        // std absent → 5 (+7).
        let prediction = try EngineFixture.prediction(evaluate(removing: ["points_avg_season", "paint_rate_last_10", "points_std_last_10"]))
        #expect(prediction.predictedPoints == 16.5)
        #expect(prediction.confidenceScore == 87)
        let row = try #require(XGBoostSystem.featureVector(EngineFixture.features(removing: FeatureSet.v1BaselineNames)))
        #expect(row == [10, 10, 10, 0, 0, 70, 0, 0, 0, 0, 0, 0, 0, 112, 100, 0, 1, 0, 30, 20, 30, 60, 100, 112, 25])
    }

    @Test func predictionIsClampedToZeroAndSixty() throws {
        #expect(try EngineFixture.prediction(evaluate(baseScore: "7E1")).predictedPoints == 60)   // 75.25 → 60
        #expect(try EngineFixture.prediction(evaluate(baseScore: "-1E1")).predictedPoints == 0)   // −4.75 → 0
    }

    @Test func nonFiniteVectorIsNoPrediction() throws {
        #expect(try evaluate(["pace_score": .nan]) == .noPrediction(.invalidFeatureVector))
        #expect(try evaluate(["usage_rate_last_10": -.infinity]) == .noPrediction(.invalidFeatureVector))
        // finite as a double but infinite as a 32-bit float
        #expect(try evaluate(["minutes_avg_last_10": 1e300]) == .noPrediction(.invalidFeatureVector))
        #expect(SkipReason.invalidFeatureVector.description == "invalid feature vector")
    }

    @Test(arguments: [(90.0, 10.0), (89.9, 7.0), (80.0, 7.0), (79.9, 5.0), (70.0, 5.0), (69.9, 2.0), (60.0, 2.0), (59.9, 0.0)])
    func confidenceQualityBands(quality: Double, bonus: Double) {
        #expect(XGBoostSystem.confidence(qualityScore: quality, pointsStd: 1) == 80 + bonus)  // 70 + 10 (std 1)
    }

    @Test(arguments: [(3.99, 10.0), (4.0, 7.0), (5.99, 7.0), (6.0, 5.0), (7.99, 5.0), (8.0, 2.0)])
    func confidenceSpreadBands(std: Double, bonus: Double) {
        #expect(XGBoostSystem.confidence(qualityScore: 95, pointsStd: std) == 80 + bonus)  // 70 + 10 (quality 95)
    }

    @Test func recommendationUsesOneAndAHalfPointMargins() throws {
        let prediction = try EngineFixture.prediction(evaluate())  // pred_raw 25.25, confidence 87
        #expect(prediction.recommendation(for: nil) == .pass)
        #expect(prediction.recommendation(for: LineValue(23.75)) == .over)   // +1.5
        #expect(prediction.recommendation(for: LineValue(23.76)) == .pass)
        #expect(prediction.recommendation(for: LineValue(26.75)) == .under)  // −1.5
        #expect(prediction.recommendation(for: LineValue(26.74)) == .pass)
        #expect(RecommendationRule.xgboost(prediction: 30, confidence: 59.9).recommendation(for: LineValue(20)) == .pass)
    }
}
