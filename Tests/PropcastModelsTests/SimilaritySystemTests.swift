import PropcastModels
import Testing

/// Similarity (SYSTEMS.md §6). The fixture's current game: opponent 113 (tier_2_average),
/// days rest 1 (one_day_rest), home, form hot (last_5 25 − season 22 = 3 ≥ 3). A fixture past
/// game (opponent 113, rest 1, home, last_5 25 vs season 22) matches it fully: 40+30+15+15 = 100.
struct SimilaritySystemTests {
    typealias Context = SimilarityContext
    let current = SimilarityContext(current: EngineFixture.features())

    func similarity(_ game: RecentGame) -> Int {
        current.similarity(to: SimilarityContext(past: game))
    }

    func evaluate(_ games: [RecentGame], _ overrides: [String: Double] = [:]) throws -> SystemOutcome {
        try SimilaritySystem().evaluate(PredictionContext(features: EngineFixture.features(overrides), recentGames: games))
    }

    /// Seven games: similarities 100, 85 (away), 80 (elite opponent, adjacent tier), 70 (rest 3,
    /// two buckets away), 65 (away + weak opponent, dropped), 100, 90 (cold form, 5 not 15).
    var mixedGames: [RecentGame] {
        let g = EngineFixture.game
        return [g(30, 2, 113, 1, true, 25, 22), g(20, 4, 113, 1, false, 25, 22), g(28, 6, 108, 1, true, 25, 22),
                g(22, 8, 113, 3, true, 25, 22), g(26, 10, 118, 1, false, 25, 22), g(24, 12, 113, 1, true, 25, 22),
                g(18, 14, 113, 1, true, 18, 22)]
    }

    // MARK: Context and similarity

    @Test func similarityScoresEachComponent() {
        let g = EngineFixture.game
        #expect(similarity(g(20, 2, 113, 1, true, 25, 22)) == 100)
        #expect(similarity(g(20, 2, 109.99, 1, true, 25, 22)) == 80)   // elite: adjacent tier 20
        #expect(similarity(g(20, 2, 115, 1, true, 25, 22)) == 80)      // 115 is weak: adjacent
        #expect(similarity(g(20, 2, 113, 0, true, 25, 22)) == 85)      // b2b next to one day: 15
        #expect(similarity(g(20, 2, 113, 2, true, 25, 22)) == 85)      // two days: adjacent
        #expect(similarity(g(20, 2, 113, 5, true, 25, 22)) == 70)      // well rested: 2 away → 0
        #expect(similarity(g(20, 2, 113, 1, false, 25, 22)) == 85)     // other venue → 0
        #expect(similarity(g(20, 2, 113, 1, true, 22, 22)) == 90)      // normal vs hot → 5
    }

    @Test func nonAdjacentTiersScoreZero() {
        let elite = SimilarityContext(tier: .elite, rest: .backToBack, isHome: false, form: .normal)
        let weak = SimilarityContext(tier: .weak, rest: .twoDaysRest, isHome: false, form: .normal)
        let wellRested = SimilarityContext(tier: .weak, rest: .wellRested, isHome: false, form: .normal)
        #expect(elite.similarity(to: weak) == 0 + 0 + 15 + 15)
        #expect(elite.similarity(to: wellRested) == 30)
        #expect(weak.similarity(to: wellRested) == 40 + 15 + 15 + 15)
    }

    @Test func tierAndFormCutOffs() {
        #expect(Context.OpponentTier(defRating: 109.99) == .elite)
        #expect(Context.OpponentTier(defRating: 110) == .average)
        #expect(Context.OpponentTier(defRating: 114.99) == .average)
        #expect(Context.OpponentTier(defRating: 115) == .weak)
        #expect(Context.Form(last5: 25, season: 22) == .hot)
        #expect(Context.Form(last5: 19, season: 22) == .cold)
        #expect(Context.Form(last5: 24.9, season: 22) == .normal)
        #expect(Context.Form(last5: nil, season: 22) == .normal)
        #expect(Context.RestBucket(daysRest: 2.7) == .twoDaysRest)  // integer part
        #expect(Context.RestBucket(daysRest: 3) == .wellRested)
    }

    @Test func pastGameDefaultsApplyWhenFieldsAreUnknown() {
        let unknown = RecentGame(gameDate: EngineFixture.gameDate, points: 20)
        #expect(SimilarityContext(past: unknown) == SimilarityContext(tier: .average, rest: .oneDayRest, isHome: false, form: .normal))
    }

    @Test func currentGameDefaultsApplyWhenFeaturesAreAbsent() {
        let features = EngineFixture.features(removing: ["opponent_def_rating_last_15", "days_rest", "is_home", "points_avg_last_5"])
        // opponent 112 → average, days rest 1, away, form unknown → normal
        #expect(SimilarityContext(current: features) == SimilarityContext(tier: .average, rest: .oneDayRest, isHome: false, form: .normal))
    }

    // MARK: Prediction

    @Test func predictionWeighsSimilarGamesAndAddsRoundedAdjustments() throws {
        // kept (≥ 70, sorted stably): 30@100, 24@100, 18@90, 20@85, 28@80, 22@70; 26@65 dropped.
        // baseline = (30 + 24 + 16.2 + 17 + 22.4 + 15.4) / 5.25 = 23.80952…; mean similarity 525/6 = 87.5
        // adjustments: (60 − 70)·0.015 = −0.15, 0.4·2 = 0.8, 0.8·1 = 0.8, 0.8·0.5 = 0.4, home +0.8 → total 2.65
        // pred_raw = 26.45952380952381 → 26.46. Confidence 35 − 10 (6 games) + 12 (87.5) + 6 (std 4.23) = 43.
        let prediction = try EngineFixture.prediction(evaluate(mixedGames))
        #expect(prediction.predictedPoints == 26.46)
        #expect(prediction.confidenceScore == 43)
        #expect(prediction.rule == .similarity(prediction: 26.45952380952381, confidence: 43))
        #expect(prediction.extras["similar_games_count"] == .integer(6))
        #expect(prediction.extras["avg_similarity_score"] == .number(87.5))
        #expect(prediction.extras["similarity_baseline"] == .number(23.81))
        #expect(prediction.extras["fatigue_adjustment"] == .number(-0.15))
        #expect(prediction.extras["zone_matchup_adjustment"] == .number(0.8))
        #expect(prediction.extras["pace_adjustment"] == .number(0.8))
        #expect(prediction.extras["usage_adjustment"] == .number(0.4))
        #expect(prediction.extras["venue_adjustment"] == .number(0.8))
        #expect(prediction.extras["total_adjustment"] == .number(2.65))
        #expect(prediction.modelVersion == "similarity_balanced_v1.0")
    }

    @Test func totalAdjustmentIsTheRoundedSumOfUnroundedParts() throws {
        // fatigue 61: −0.135 → −0.14; mismatch 0.0375: 0.015 → 0.01 (rounded parts sum to 0.67)
        // but total = round2(−0.135 + 0.015 + 0 + 0 + 0.8) = 0.68; pred = 23.80952… + 0.68 → 24.49.
        let prediction = try EngineFixture.prediction(evaluate(
            mixedGames, ["fatigue_score": 61, "shot_zone_mismatch_score": 0.0375, "pace_score": 0, "usage_spike_score": 0]))
        #expect(prediction.extras["fatigue_adjustment"] == .number(-0.14))
        #expect(prediction.extras["zone_matchup_adjustment"] == .number(0.01))
        #expect(prediction.extras["total_adjustment"] == .number(0.68))
        #expect(prediction.predictedPoints == 24.49)
    }

    @Test func highFatigueScoreAddsPointsInSimilarity() throws {
        // (90 − 70)·0.015 = 0.3 (high = fresh here, opposite to the rule systems); total 3.1 → 26.91
        let prediction = try EngineFixture.prediction(evaluate(mixedGames, ["fatigue_score": 90]))
        #expect(prediction.extras["fatigue_adjustment"] == .number(0.3))
        #expect(prediction.predictedPoints == 26.91)
    }

    @Test func awayGameAdjustsByMinusHalfAPoint() throws {
        // away: the fully matching games become the away ones; venue −0.5, fatigue 50 → −0.3
        let prediction = try EngineFixture.prediction(evaluate(mixedGames, ["fatigue_score": 50, "is_home": 0]))
        #expect(prediction.extras["venue_adjustment"] == .number(-0.5))
        #expect(prediction.extras["fatigue_adjustment"] == .number(-0.3))
        #expect(prediction.extras["total_adjustment"] == .number(1.2))
    }

    @Test func topTwentyKeepsTheNewestAmongEqualSimilarities() throws {
        // 10 away games (85) with points 10…19, then 15 full matches (100) with 30 points, then 5
        // more full matches beyond the 30-game horizon. Stable sort: 15×30@100 then the newest five
        // 85s (10…14). baseline = (450 + 60·0.85) / (15 + 4.25) = 26.025974…; total 2.65
        // → 28.67597402597402 → 28.68. Confidence 35 + 12 (20) + 12 (96.25) + 2 (std 7.83 < 8) = 61.
        let g = EngineFixture.game
        let games = (0..<10).map { g(Double(10 + $0), 1 + $0, 113, 1, false, 25, 22) }
            + (0..<15).map { g(30, 11 + $0, 113, 1, true, 25, 22) }
            + (0..<5).map { g(30, 26 + $0, 113, 1, true, 25, 22) }
            + (0..<5).map { g(60, 31 + $0, 113, 1, true, 25, 22) }
        let prediction = try EngineFixture.prediction(evaluate(games))
        #expect(prediction.extras["similar_games_count"] == .integer(20))
        #expect(prediction.extras["avg_similarity_score"] == .number(100))
        // With 20 full matches among the first 30 the 85s are all cut: baseline 30, pred 32.65.
        #expect(prediction.predictedPoints == 32.65)
        #expect(prediction.confidenceScore == 69)  // 35 + 12 + 12 + 10 (std 0)
        let fewerMatches = Array(games.prefix(25))
        let cut = try EngineFixture.prediction(evaluate(fewerMatches))
        #expect(cut.predictedPoints == 28.68)
        #expect(cut.extras["avg_similarity_score"] == .number(96.25))
        #expect(cut.confidenceScore == 61)
    }

    @Test func fewerThanFiveSimilarGamesIsNoPredictionWithTheCount() throws {
        let g = EngineFixture.game
        let games = Array(repeating: g(30, 2, 113, 1, true, 25, 22), count: 4)
            + Array(repeating: g(30, 3, 118, 1, false, 25, 22), count: 3)
        #expect(try evaluate(games) == .noPrediction(.insufficientSimilarGames(found: 4, needed: 5)))
        #expect(SkipReason.insufficientSimilarGames(found: 4, needed: 5).description
            == "insufficient similar games (found 4, need 5)")
    }

    @Test func noRecentGamesIsNoPredictionNotAFailure() throws {
        #expect(try evaluate([]) == .noPrediction(.noHistoricalGames))
        #expect(SkipReason.noHistoricalGames.description == "no historical games")
    }

    // MARK: Confidence and recommendation

    @Test(arguments: [(15, 12.0), (14, 9.0), (10, 9.0), (9, 6.0), (7, 6.0), (6, -10.0), (5, -10.0), (4, -15.0)])
    func confidenceCountBands(count: Int, bonus: Double) {
        // mean 90 (+12) and std 1 (+10) fixed: 35 + 12 + 10 = 57 plus the count term
        #expect(SimilaritySystem.confidence(count: count, meanSimilarity: 90, pointsStd: 1) == 57 + bonus)
    }

    @Test(arguments: [(85.0, 12.0), (84.9, 9.0), (75.0, 9.0), (74.9, 6.0), (70.0, 6.0), (69.9, 3.0)])
    func confidenceMeanSimilarityBands(mean: Double, bonus: Double) {
        // 15 games (+12), std 1 (+10): 35 + 12 + 10 = 57 plus the similarity term
        #expect(SimilaritySystem.confidence(count: 15, meanSimilarity: mean, pointsStd: 1) == 57 + bonus)
    }

    @Test(arguments: [(3.99, 10.0), (4.0, 6.0), (5.99, 6.0), (6.0, 2.0), (7.99, 2.0), (8.0, -5.0)])
    func confidenceSpreadBands(std: Double, bonus: Double) {
        // 15 games (+12), mean 90 (+12): 35 + 24 = 59 plus the spread term
        #expect(SimilaritySystem.confidence(count: 15, meanSimilarity: 90, pointsStd: std) == 59 + bonus)
    }

    @Test func recommendationComparesTheUnroundedPredictionWithTwoPointMargins() throws {
        // 16 full matches alternating 24/26: baseline 25, std 1, confidence 35+12+12+10 = 69;
        // pred_raw 25 + 2.65 = 27.65.
        let g = EngineFixture.game
        let games = (0..<16).map { g($0 % 2 == 0 ? 24 : 26, 1 + $0, 113, 1, true, 25, 22) }
        let prediction = try EngineFixture.prediction(evaluate(games))
        #expect(prediction.confidenceScore == 69)
        #expect(prediction.predictedPoints == 27.65)
        #expect(prediction.recommendation(for: nil) == .pass)
        #expect(prediction.recommendation(for: LineValue(25.65)) == .over)   // margin 2.0
        #expect(prediction.recommendation(for: LineValue(25.66)) == .pass)   // margin 1.99
        #expect(prediction.recommendation(for: LineValue(29.65)) == .under)  // margin −2.0
        #expect(prediction.recommendation(for: LineValue(26.5)) == .pass)
        // Unrounded: 25.996 rounds to 26.0 but 25.996 − 24 = 1.996 < 2 → PASS.
        #expect(RecommendationRule.similarity(prediction: 25.996, confidence: 70).recommendation(for: LineValue(24)) == .pass)
        // Confidence below 65 → PASS whatever the margin.
        #expect(RecommendationRule.similarity(prediction: 40, confidence: 64.99).recommendation(for: LineValue(24)) == .pass)
    }
}
