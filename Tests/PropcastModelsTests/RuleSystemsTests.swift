import PropcastModels
import Testing

/// Moving average (SYSTEMS.md §4), zone matchup (§5) and their shared rule confidence and
/// recommendation (§3). Base fixture: last_5 25, last_10 24, season 22, std 5, fatigue 60,
/// mismatch 2, pace 1, usage spike 0.5, opponent 113, home, days rest 1, no back-to-back,
/// shares paint 0.45 / mid 0.15 / three 0.30.
struct RuleSystemsTests {
    func movingAverage(_ overrides: [String: Double] = [:]) throws -> SystemPrediction {
        try EngineFixture.prediction(MovingAverageSystem().evaluate(PredictionContext(features: EngineFixture.features(overrides))))
    }

    func zone(_ overrides: [String: Double] = [:]) throws -> SystemPrediction {
        try EngineFixture.prediction(ZoneMatchupSystem().evaluate(PredictionContext(features: EngineFixture.features(overrides))))
    }

    // MARK: Moving average

    @Test func movingAverageWeighsAveragesAndAddsEveryAdjustment() throws {
        // base 0.5·25 + 0.3·24 + 0.2·22 = 24.1; adjustments −1.0 (fatigue 60 > 50) + 0.6 + 0
        // + 0.3 + 0.5 (home) + 0.2 = 0.6 → 24.700000000000003. Confidence 0.5 − 0.08 (std 5 > 4)
        // + 0.10 (recent 3) = 0.52 → 52.
        let prediction = try movingAverage()
        #expect(prediction.predictedPoints == 24.700000000000003)
        #expect(prediction.confidenceScore == 52.0)
        #expect(prediction.rule == .rule(prediction: 24.700000000000003, confidence: 0.52))
        #expect(prediction.modelVersion == "moving_average_baseline_v1.0")
    }

    @Test(arguments: [(75.0, 23.200000000000003), (70.0, 24.700000000000003), (50.0, 25.700000000000003)])
    func movingAverageFatigueLevels(fatigue: Double, expected: Double) throws {
        // > 70 → −2.5 (24.1 + 3.1 − 4.0 … = 23.2); 70 is not > 70 → −1.0 (24.7); 50 is not > 50 → 0 (25.7).
        #expect(try movingAverage(["fatigue_score": fatigue]).predictedPoints == expected)
    }

    @Test func movingAverageBackToBackCostsOneAndAHalf() throws {
        #expect(try movingAverage(["back_to_back": 1]).predictedPoints == 23.200000000000003)  // 24.7 − 1.5
    }

    @Test func movingAverageAwayGameCostsHalfAPointInsteadOfAddingIt() throws {
        #expect(try movingAverage(["is_home": 0]).predictedPoints == 23.700000000000003)  // 24.7 − 1.0
    }

    @Test func movingAveragePredictionIsClampedToZeroAndSixty() throws {
        // 60 + (−1.0 + 0.6 + 0.3 + 0.5 + 1.2) > 60 → 60
        let high = try movingAverage(["points_avg_last_5": 60, "points_avg_last_10": 60, "points_avg_season": 60,
                                      "usage_spike_score": 3])
        #expect(high.predictedPoints == 60)
        // 1 + (−2.5 + 0.6 − 1.5 + 0.3 − 0.5 + 0.2) < 0 → 0
        let low = try movingAverage(["points_avg_last_5": 1, "points_avg_last_10": 1, "points_avg_season": 1,
                                     "fatigue_score": 90, "back_to_back": 1, "is_home": 0])
        #expect(low.predictedPoints == 0)
    }

    @Test func ruleSystemWithoutAFeatureFailsNamingIt() {
        let context = PredictionContext(features: EngineFixture.features(removing: ["fatigue_score"]))
        #expect(throws: PredictionSystemError(systemID: .movingAverage, detail: "feature fatigue_score is missing")) {
            try MovingAverageSystem().evaluate(context)
        }
    }

    // MARK: Rule confidence

    @Test(arguments: [
        (7.0, 0.44999999999999996),  // > 6: 0.5 − 0.15 + 0.10
        (6.0, 0.52),                 // not > 6 but > 4: 0.5 − 0.08 + 0.10
        (4.0, 0.6),                  // not > 4: 0.5 + 0.10
    ])
    func ruleConfidenceVolatilityLevels(std: Double, expected: Double) throws {
        #expect(try RuleConfidence.score(EngineFixture.features(["points_std_last_10": std]), system: .movingAverage) == expected)
    }

    @Test(arguments: [
        (2.9, 0.47),                  // int(2.9) = 2 → +0.05: 0.42 + 0.05
        (1.0, 0.31999999999999995),   // < 2 → −0.10: 0.42 − 0.10
        (5.0, 0.52),                  // ≥ 3 → +0.10
    ])
    func ruleConfidenceRecentGames(gamesLast7Days: Double, expected: Double) throws {
        let features = EngineFixture.features(["games_played_last_7_days": gamesLast7Days])
        #expect(try RuleConfidence.score(features, system: .zoneMatchup) == expected)
    }

    @Test func ruleConfidenceFallsBackToThreeRecentGames() throws {
        // games_played_last_7_days is not among the 25 → 3 → +0.10 (§10).
        #expect(try RuleConfidence.score(EngineFixture.features(), system: .zoneMatchup) == 0.52)
    }

    @Test func mockDataScalesRuleConfidence() throws {
        // 0.52 · 0.8 = 0.41600000000000004
        #expect(try RuleConfidence.score(EngineFixture.features(source: .mock), system: .movingAverage) == 0.41600000000000004)
    }

    @Test func ruleConfidenceIsClampedAtTwentyPercent() throws {
        // 0.5 − 0.15 − 0.10 = 0.24999999999999997; · 0.8 = 0.19999999999999998 → clamp → 0.2
        let features = EngineFixture.features(["points_std_last_10": 7, "games_played_last_7_days": 0], source: .mock)
        #expect(try RuleConfidence.score(features, system: .movingAverage) == 0.2)
    }

    // MARK: Rule recommendation

    @Test func ruleRecommendationWithoutLineIsPass() {
        #expect(RecommendationRule.rule(prediction: 30, confidence: 0.8).recommendation(for: nil) == .pass)
    }

    @Test func ruleRecommendationNeedsAnEdgeAboveTwoPoints() {
        let rule = RecommendationRule.rule(prediction: 26.5, confidence: 0.6)
        #expect(rule.recommendation(for: LineValue(24.5)) == .pass)   // edge exactly 2.0
        #expect(rule.recommendation(for: LineValue(24.4)) == .over)   // edge 2.1
        #expect(rule.recommendation(for: LineValue(28.5)) == .pass)   // edge 2.0 below
        #expect(rule.recommendation(for: LineValue(28.75)) == .under) // edge 2.25
    }

    @Test func ruleRecommendationPassesAtConfidenceFortyFivePercentOrLess() {
        #expect(RecommendationRule.rule(prediction: 30, confidence: 0.45).recommendation(for: LineValue(20)) == .pass)
        #expect(RecommendationRule.rule(prediction: 30, confidence: 0.46).recommendation(for: LineValue(20)) == .over)
    }

    @Test func highVolatilityConfidenceOfPointFourFourNineNinesPasses() throws {
        // std 7: 0.5 − 0.15 + 0.10 = 0.44999999999999996 ≤ 0.45 → PASS despite an edge of 4.7.
        let prediction = try movingAverage(["points_std_last_10": 7])
        #expect(prediction.recommendation(for: LineValue(20)) == .pass)
        #expect(try movingAverage().recommendation(for: LineValue(20)) == .over)   // 0.52 → OVER
        #expect(try movingAverage().recommendation(for: LineValue(27)) == .under)  // 24.7 vs 27, edge 2.3
    }

    // MARK: Zone matchup

    @Test func zoneMatchupAddsWeightedZoneScoresToTheSeasonAverage() throws {
        // opponent 113: per-zone (113 − 110)·0.3·m = 1.08 (paint), 0.9 (mid), 0.99 (three), 0.72 (ft);
        // weights: paint 0.45 → 1.0, mid 0.15 → 0.4, three 0.30 → 0.7, ft fallback 12.0 → 1.0;
        // zone_adj = 1.08 + 0.36 + 0.693 + 0.72 = 2.853; pace 0.4; home +0.8; fatigue 60 → −0.8
        // pred = 22 + 2.853 + 0.4 + 0.8 − 0.8 = 25.253; confidence 0.52.
        let prediction = try zone()
        #expect(prediction.predictedPoints == 25.253)
        #expect(prediction.confidenceScore == 52.0)
        #expect(prediction.modelVersion == "zone_matchup_v1.0")
    }

    @Test(arguments: [(0.40, 1.0), (0.39, 0.7), (0.20, 0.7), (0.19, 0.4), (12.0, 1.0)])
    func zoneUsageWeightBands(share: Double, expected: Double) {
        #expect(ZoneMatchupSystem.usageWeight(share) == expected)
    }

    @Test func zoneWeightsFollowEachShareBand() throws {
        // paint 0.40 → 1.0, mid 0.20 → 0.7, three 0.19 → 0.4:
        // 1.08 + 0.63 + 0.396 + 0.72 = 2.826 → 22 + 2.826 + 0.4 = 25.226
        #expect(try zone(["paint_rate_last_10": 0.40, "mid_range_rate_last_10": 0.20, "three_pt_rate_last_10": 0.19])
            .predictedPoints == 25.226)
        // a given pct_free_throw 0.1 → weight 0.4: 0.72·0.4 replaces 0.72 → 25.253 − 0.432
        #expect(try zone(["pct_free_throw": 0.1]).predictedPoints == 24.820999999999998)
    }

    @Test func zoneScoreIsClampedToThreePointsEitherWay() throws {
        #expect(ZoneMatchupSystem.zoneScore(opponentDefRating: 125, multiplier: 1.2) == 3)   // 5.4 → 3
        #expect(ZoneMatchupSystem.zoneScore(opponentDefRating: 95, multiplier: 0.8) == -3)   // −3.6 → −3
        // every zone at ±3: 3 + 1.2 + 2.1 + 3 = 9.3 → 22 ± 9.3 + 0.4
        #expect(try zone(["opponent_def_rating_last_15": 125]).predictedPoints == 31.7)
        #expect(try zone(["opponent_def_rating_last_15": 95]).predictedPoints == 13.1)
    }

    @Test(arguments: [(75.0, 24.553), (50.0, 26.053)])
    func zoneFatigueLevels(fatigue: Double, expected: Double) throws {
        // > 70 → −1.5 (0.7 less than the −0.8 of the fixture); 50 → 0 (0.8 more)
        #expect(try zone(["fatigue_score": fatigue]).predictedPoints == expected)
    }

    @Test func zoneAwayGameCostsPointEight() throws {
        #expect(try zone(["is_home": 0]).predictedPoints == 23.653)  // 25.253 − 1.6
    }
}
