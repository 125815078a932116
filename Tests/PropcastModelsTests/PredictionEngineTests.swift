import PropcastModels
import Testing

/// The engine end to end over the fixture player and ``TinyXGBoostModel``. Expected base outputs
/// (worked out in the per-system tests): moving average 24.700000000000003 @ 52, zone 25.253 @ 52,
/// similarity 26.46 @ 43 (with `mixedGames`), XGBoost 25.25 @ 87; ensemble 25.35079487179487 @ 73.5.
struct PredictionEngineTests {
    let lines = [20.5, 22.5, 24.5, 26.5, 28.5]

    func engine() throws -> PredictionEngine {
        PredictionEngine(registry: try TinyXGBoostModel.registry())
    }

    var mixedGames: [RecentGame] { SimilaritySystemTests().mixedGames }

    @Test func fiveLinesGiveFiveRowsPerSystem() throws {
        let result = try engine().predict(EngineFixture.input(lines: lines, games: mixedGames))
        #expect(!result.isSkipped && result.skips.isEmpty && result.failures.isEmpty)
        #expect(result.rows.count == 25)
        #expect(result.rows.map(\.systemID) == SystemID.all.flatMap { Array(repeating: $0, count: 5) })
        #expect(result.rows.map { $0.line?.rawValue } == Array(repeating: lines, count: 5).flatMap { $0 })
        let byRow = result.rows.map { "\($0.systemID) \($0.line!) \($0.predictedPoints) \($0.confidenceScore) \($0.recommendation.rawValue)" }
        #expect(byRow == [
            // rule: edge > 2 and confidence 0.52 > 0.45
            "moving_average 20.5 24.700000000000003 52.0 OVER", "moving_average 22.5 24.700000000000003 52.0 OVER",
            "moving_average 24.5 24.700000000000003 52.0 PASS", "moving_average 26.5 24.700000000000003 52.0 PASS",
            "moving_average 28.5 24.700000000000003 52.0 UNDER",
            "zone_matchup_v1 20.5 25.253 52.0 OVER", "zone_matchup_v1 22.5 25.253 52.0 OVER",
            "zone_matchup_v1 24.5 25.253 52.0 PASS", "zone_matchup_v1 26.5 25.253 52.0 PASS",
            "zone_matchup_v1 28.5 25.253 52.0 UNDER",
            // confidence 43 < 65: always PASS
            "similarity_balanced_v1 20.5 26.46 43.0 PASS", "similarity_balanced_v1 22.5 26.46 43.0 PASS",
            "similarity_balanced_v1 24.5 26.46 43.0 PASS", "similarity_balanced_v1 26.5 26.46 43.0 PASS",
            "similarity_balanced_v1 28.5 26.46 43.0 PASS",
            // ±1.5 margins: 4.75, 2.75 OVER; 0.75, −1.25 PASS; −3.25 UNDER
            "xgboost_v1 20.5 25.25 87.0 OVER", "xgboost_v1 22.5 25.25 87.0 OVER", "xgboost_v1 24.5 25.25 87.0 PASS",
            "xgboost_v1 26.5 25.25 87.0 PASS", "xgboost_v1 28.5 25.25 87.0 UNDER",
            // final confidence 73.5 ≥ 65 (SYSTEMS.md §8; the base mean 58.5 does not decide): |margin| < 1.5
            // → PASS, else the base majority (3 of 4 OVER at 20.5 and 22.5, 3 of 4 UNDER at 28.5)
            "ensemble_v1 20.5 25.35079487179487 73.5 OVER", "ensemble_v1 22.5 25.35079487179487 73.5 OVER",
            "ensemble_v1 24.5 25.35079487179487 73.5 PASS", "ensemble_v1 26.5 25.35079487179487 73.5 PASS",
            "ensemble_v1 28.5 25.35079487179487 73.5 UNDER",
        ])
        #expect(result.rows[0].lineMargin == 4.200000000000003)    // 24.700000000000003 − 20.5
        #expect(result.rows[12].lineMargin == 1.9600000000000009)  // similarity: rounded 26.46 − 24.5
        #expect(result.rows[19].lineMargin == -3.25)
        #expect(Set(result.rows.map(\.predictionID)).count == 25)
    }

    @Test func rowsCarryDeterministicIdsAndVersions() throws {
        let input = EngineFixture.input(lines: [24.5], games: mixedGames)
        let row = try #require(try engine().predict(input).rows.last)
        #expect(row.systemID == .ensemble)
        #expect(row.modelVersion == "ensemble_v2.0")
        let fingerprint = InputFingerprint(input, line: LineValue(24.5))
        #expect(row.inputFingerprint == fingerprint)
        #expect(row.predictionID == PredictionID(gameDate: EngineFixture.gameDate, player: EngineFixture.player,
                                                 gameID: EngineFixture.gameID, system: .ensemble, line: LineValue(24.5),
                                                 modelVersion: "ensemble_v2.0", inputFingerprint: fingerprint))
        #expect(row.player == EngineFixture.player && row.gameID == EngineFixture.gameID && row.gameDate == EngineFixture.gameDate)
    }

    @Test func withoutLinesEachSystemGivesOnePassRow() throws {
        let result = try engine().predict(EngineFixture.input(games: mixedGames))
        #expect(result.rows.map(\.systemID) == SystemID.all)
        for row in result.rows {
            #expect(row.line == nil && row.lineMargin == nil && row.recommendation == .pass)
        }
    }

    @Test func invalidPlayerIsSkippedWithEveryReasonAndNoRows() throws {
        let result = try engine().predict(EngineFixture.input(removing: ["fatigue_score"], quality: 50, lines: [20]))
        #expect(result.isSkipped)
        #expect(result.rows.isEmpty && result.skips.isEmpty && result.failures.isEmpty)
        #expect(result.validationProblems == [.missingFeature(name: "fatigue_score"),
                                              .qualityScoreBelowMinimum(score: 50, minimum: 70)])
    }

    @Test func playerWithoutHistorySkipsSimilarityOnly() throws {
        // Ensemble of three: (24.700000000000003·52 + 25.253·52 + 25.25·87) / 191 = 25.101078534031416;
        // mean 63.666666666666664, std 0.26 → +10, no four-system bonus → 73.66666666666666.
        let result = try engine().predict(EngineFixture.input(lines: [22.5]))
        #expect(result.skips == [SystemSkip(systemID: .similarity, reason: .noHistoricalGames)])
        #expect(result.rows.map(\.systemID) == [.movingAverage, .zoneMatchup, .xgboost, .ensemble])
        let ensemble = try #require(result.rows.last)
        #expect(ensemble.predictedPoints == 25.101078534031416)
        #expect(ensemble.confidenceScore == 73.66666666666666)
        #expect(ensemble.extras["systems_used"] == .list(["moving_average", "zone_matchup_v1", "xgboost_v1"]))
    }

    @Test func throwingSystemIsIsolatedAndLeftOutOfTheEnsemble() throws {
        let engine = PredictionEngine(baseSystems: [MovingAverageSystem(), FailingSystem(), ZoneMatchupSystem()])
        let result = engine.predict(EngineFixture.input(lines: [22.5]))
        #expect(result.failures == [SystemFailure(systemID: "failing_test_system",
            reason: "failing_test_system: deliberate test failure (validate the input first; see InputValidator)")])
        #expect(result.rows.map(\.systemID) == [.movingAverage, .zoneMatchup, .ensemble])
        #expect(result.rows.last?.extras["systems_used"] == .list(["moving_average", "zone_matchup_v1"]))
    }

    @Test func garbageOutputIsAFailureNotARow() throws {
        let engine = PredictionEngine(baseSystems: [MovingAverageSystem(), GarbageSystem(),
                                                    GarbageSystem(id: "too_many_points", points: 61),
                                                    GarbageSystem(id: "bad_confidence", points: 20, confidence: 101)])
        let result = engine.predict(EngineFixture.input(lines: [22.5]))
        #expect(result.failures.map(\.reason) == [
            "returned predicted points nan, expected a number in 0–60",
            "returned predicted points 61.0, expected a number in 0–60",
            "returned confidence 101.0, expected a number in 0–100",
        ])
        #expect(result.rows.map(\.systemID) == [.movingAverage])
        #expect(result.skips == [SystemSkip(systemID: .ensemble, reason: .insufficientSystems(count: 1))])
    }

    @Test func sameInputGivesBitIdenticalRows() throws {
        let input = EngineFixture.input(lines: lines, games: mixedGames)
        let first = try engine().predict(input)
        let second = try engine().predict(input)
        #expect(first == second)
        #expect(first.rows.map(\.predictedPoints.bitPattern) == second.rows.map(\.predictedPoints.bitPattern))
        #expect(first.rows.map(\.confidenceScore.bitPattern) == second.rows.map(\.confidenceScore.bitPattern))
        #expect(try first.jsonLine() == second.jsonLine())
    }

    @Test func predictForOneLineGivesThePredictionAndItsCall() throws {
        let context = PredictionContext(EngineFixture.input())
        // moving average 24.700000000000003 @ 0.52 against 22.5: edge 2.2 → OVER
        guard case .predicted(let prediction, let call) = try MovingAverageSystem().predict(context, line: LineValue(22.5)) else {
            Issue.record("expected a prediction")
            return
        }
        #expect(prediction.predictedPoints == 24.700000000000003 && call == .over)
        #expect(try SimilaritySystem().predict(context, line: LineValue(22.5)) == .skipped(.noHistoricalGames))
    }
}
