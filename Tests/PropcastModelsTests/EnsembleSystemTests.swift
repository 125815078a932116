import PropcastModels
import Testing

/// Ensemble (SYSTEMS.md §8), combining hand-made base predictions.
struct EnsembleSystemTests {
    let ensemble = EnsembleSystem(baseSystems: [])

    func base(_ system: SystemID, _ points: Double, _ confidence: Double,
              rule: RecommendationRule? = nil) -> SystemPrediction {
        SystemPrediction(systemID: system, modelVersion: "test", predictedPoints: points, confidenceScore: confidence,
                         rule: rule ?? .xgboost(prediction: points, confidence: confidence))
    }

    func combine(_ bases: [SystemPrediction]) throws -> SystemPrediction {
        try EngineFixture.prediction(ensemble.combine(bases))
    }

    @Test func predictionIsTheConfidenceWeightedMeanOfTheBases() throws {
        // The four fixture outputs: moving average 24.700000000000003 @ 52, zone 25.253 @ 52,
        // similarity 26.46 @ 43, XGBoost 25.25 @ 87.
        // pred = (24.7·52 + 25.253·52 + 26.46·43 + 25.25·87) / 234 = 25.35079487179487
        // mean c = 234 / 4 = 58.5; std = 0.6435675469599127 < 2 → +10; four systems +5 → 73.5
        let prediction = try combine([base(.movingAverage, 24.700000000000003, 52), base(.zoneMatchup, 25.253, 52),
                                      base(.similarity, 26.46, 43), base(.xgboost, 25.25, 87)])
        #expect(prediction.predictedPoints == 25.35079487179487)
        #expect(prediction.confidenceScore == 73.5)
        #expect(prediction.extras["systems_used"] == .list(["moving_average", "zone_matchup_v1", "similarity_balanced_v1", "xgboost_v1"]))
        #expect(prediction.extras["agreement"] == .text("high"))
        #expect(prediction.extras["base_prediction_std"] == .number(0.6435675469599127))
        #expect(prediction.extras["base_prediction_min"] == .number(24.700000000000003))
        #expect(prediction.extras["base_prediction_max"] == .number(26.46))
        #expect(prediction.modelVersion == "ensemble_v2.0")
    }

    @Test(arguments: [(1.0, 80.0, "high"), (2.5, 75.0, "good"), (5.0, 65.0, "moderate"), (7.0, 60.0, "low")])
    func spreadSetsConfidenceAndAgreement(halfGap: Double, confidence: Double, agreement: String) throws {
        // two bases at 20 ± d, confidence 70 each: std = d; 70 +10 (< 2), +5 (< 3), −5 (< 6), −10
        let prediction = try combine([base(.movingAverage, 20 - halfGap, 70), base(.zoneMatchup, 20 + halfGap, 70)])
        #expect(prediction.predictedPoints == 20)
        #expect(prediction.confidenceScore == confidence)
        #expect(prediction.extras["agreement"] == .text(agreement))
        #expect(prediction.extras["base_prediction_std"] == .number(halfGap))
    }

    @Test func agreementBandEdges() {
        #expect(EnsembleSystem.agreement(spread: 1.99) == "high")
        #expect(EnsembleSystem.agreement(spread: 2) == "good")
        #expect(EnsembleSystem.agreement(spread: 3) == "moderate")
        #expect(EnsembleSystem.agreement(spread: 6) == "low")
    }

    @Test func confidenceIsClampedBetweenTwentyAndNinetyFive() throws {
        // 100 + 10 + 5 (four systems) = 115 → 95
        let high = try combine([base(.movingAverage, 20, 100), base(.zoneMatchup, 20, 100),
                                base(.similarity, 20, 100), base(.xgboost, 20, 100)])
        #expect(high.confidenceScore == 95)
        // 10 − 10 (std 7) = 0 → 20
        #expect(try combine([base(.movingAverage, 13, 10), base(.zoneMatchup, 27, 10)]).confidenceScore == 20)
    }

    @Test func fourSystemsAddFivePoints() throws {
        let three = try combine([base(.movingAverage, 20, 70), base(.zoneMatchup, 20, 70), base(.similarity, 20, 70)])
        let four = try combine([base(.movingAverage, 20, 70), base(.zoneMatchup, 20, 70), base(.similarity, 20, 70),
                                base(.xgboost, 20, 70)])
        #expect(three.confidenceScore == 80)   // 70 + 10
        #expect(four.confidenceScore == 85)    // 70 + 10 + 5
    }

    @Test func zeroTotalConfidenceGivesZeroPoints() throws {
        #expect(try combine([base(.movingAverage, 13, 0), base(.zoneMatchup, 27, 0)]).predictedPoints == 0)
    }

    @Test func fewerThanTwoSystemsIsNoPrediction() {
        #expect(ensemble.combine([base(.movingAverage, 20, 70)]) == .noPrediction(.insufficientSystems(count: 1)))
        #expect(ensemble.combine([]) == .noPrediction(.insufficientSystems(count: 0)))
        #expect(SkipReason.insufficientSystems(count: 1).description == "insufficient systems: 1")
    }

    @Test func finalConfidenceDecidesNotTheMeanOfTheBases() throws {
        // SYSTEMS.md §8: the 65 threshold applies to the final, clamped confidence.
        // mean (64 + 66 + 64.9) / 3 = 64.97 < 65, but spread < 2 (+10) gives 74.97 ≥ 65: not PASS.
        let agreeing = try combine([base(.movingAverage, 20, 64), base(.zoneMatchup, 20.5, 66), base(.similarity, 21, 64.9)])
        #expect(agreeing.confidenceScore == 74.96666666666667)
        #expect(agreeing.recommendation(for: LineValue(10)) != .pass)
        #expect(agreeing.recommendation(for: nil) == .pass)
        // mean 70 ≥ 65, but a spread of 10 (−10) gives 60 < 65: PASS although the edge is large.
        let disagreeing = try combine([base(.movingAverage, 10, 70), base(.zoneMatchup, 30, 70)])
        #expect(disagreeing.confidenceScore == 60)
        #expect(disagreeing.recommendation(for: LineValue(5)) == .pass)
    }

    @Test func smallEdgeAgainstTheLinePasses() throws {
        let prediction = try combine([base(.movingAverage, 20, 80), base(.zoneMatchup, 20, 80)])
        #expect(prediction.recommendation(for: LineValue(18.51)) == .pass)   // 1.49 < 1.5
        #expect(prediction.recommendation(for: LineValue(18.5)) == .over)    // 1.5, fallback pred > line
    }

    @Test func majorityOfBaseVotesDecides() throws {
        // Votes against line 20 (XGBoost rule, confidence 80): 25 → OVER, 15 → UNDER, 20.5 → PASS.
        // pred = mean of the bases, all at confidence 80.
        let overMajority = try combine([base(.movingAverage, 25, 80), base(.zoneMatchup, 25, 80),
                                        base(.similarity, 25, 80), base(.xgboost, 15, 80)])
        // pred 22.5 > 20 and 3 of 4 say OVER
        #expect(overMajority.recommendation(for: LineValue(20)) == .over)
        // pred 17.5 < 20 and 3 of 4 say UNDER
        let underMajority = try combine([base(.movingAverage, 15, 80), base(.zoneMatchup, 15, 80),
                                         base(.similarity, 15, 80), base(.xgboost, 25, 80)])
        #expect(underMajority.recommendation(for: LineValue(20)) == .under)
        // A majority that contradicts the mean wins: 3 slight OVERs (21.5 ≥ 20 + 1.5) and one far UNDER (0):
        // pred = (3·21.5 + 0) / 4 = 16.125 < 20 − 1.5, yet 3 of 4 say OVER → OVER.
        let contrarian = try combine([base(.movingAverage, 21.5, 80), base(.zoneMatchup, 21.5, 80),
                                      base(.similarity, 21.5, 80), base(.xgboost, 0, 80)])
        #expect(contrarian.predictedPoints == 16.125)
        #expect(contrarian.recommendation(for: LineValue(20)) == .over)
    }

    @Test func withoutAMajorityTheSideOfThePredictionDecides() throws {
        // 2 OVER (30) vs 2 UNDER (12): no majority; pred = 21 > 19 → OVER, < 23 → UNDER.
        let split = try combine([base(.movingAverage, 30, 80), base(.zoneMatchup, 30, 80),
                                 base(.similarity, 12, 80), base(.xgboost, 12, 80)])
        #expect(split.predictedPoints == 21)
        #expect(split.recommendation(for: LineValue(19)) == .over)
        #expect(split.recommendation(for: LineValue(23)) == .under)
        // All base votes PASS (rule confidence 0.3): fallback by side.
        let passing = try combine([base(.movingAverage, 24, 80, rule: .rule(prediction: 24, confidence: 0.3)),
                                   base(.zoneMatchup, 24, 80, rule: .rule(prediction: 24, confidence: 0.3))])
        #expect(passing.recommendation(for: LineValue(22)) == .over)
        #expect(passing.recommendation(for: LineValue(26)) == .under)
    }

    @Test func standaloneEnsembleRunsItsBaseSystemsAndLeavesFailuresOut() throws {
        let model = try TinyXGBoostModel.model()
        let ensemble = EnsembleSystem(baseSystems: [MovingAverageSystem(), FailingSystem(), XGBoostSystem(model: model)])
        let prediction = try EngineFixture.prediction(ensemble.evaluate(PredictionContext(features: EngineFixture.features())))
        #expect(prediction.extras["systems_used"] == .list(["moving_average", "xgboost_v1"]))
        // (24.700000000000003·52 + 25.25·87) / 139
        #expect(prediction.predictedPoints == (24.700000000000003 * 52 + 25.25 * 87) / 139)
    }
}
