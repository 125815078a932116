import PropcastModels
import Testing

@Suite struct GradingTests {
    private let date = GameDate("2025-01-15")!

    private func row(_ system: SystemID, _ player: PlayerLookup, predicted: Double, _ recommendation: Recommendation,
                     line: Double?) -> PredictionRow {
        let game = GameID("20250115_AAA_BBB")
        let lineValue = line.map { LineValue($0) }
        return PredictionRow(predictionID: PredictionID(gameDate: date, player: player, gameID: game, system: system,
                                                        line: lineValue, modelVersion: "test", inputFingerprint: nil),
                             systemID: system, player: player, gameDate: date, gameID: game,
                             predictedPoints: predicted, confidenceScore: 70, recommendation: recommendation,
                             line: lineValue, lineMargin: line.map { predicted - $0 }, extras: [:], modelVersion: "test", inputFingerprint: nil)
    }

    private var actuals: [GradingKey: Double] {
        [GradingKey(player: "p1", gameDate: date): 23, GradingKey(player: "p2", gameDate: date): 12,
         GradingKey(player: "p3", gameDate: date): 15, GradingKey(player: "p4", gameDate: date): 3]
    }

    /// moving_average: p1 two OVER hits (23 > 20.5, 23 > 22.5); p2 UNDER miss (12 ≮ 10.5);
    /// p3 OVER push (15 == 15); p4 PASS; p5 did not play.
    /// MAE over p1..p4 = (|24−23| + |8−12| + |17−15| + |6−3|) / 4 = 10 / 4 = 2.5; hit rate 2 / 3.
    @Test func maeCountsEachPlayerGameOnceAndHitRateCountsEachLine() throws {
        let rows = [
            row(.movingAverage, "p1", predicted: 24, .over, line: 20.5),
            row(.movingAverage, "p1", predicted: 24, .over, line: 22.5),
            row(.movingAverage, "p2", predicted: 8, .under, line: 10.5),
            row(.movingAverage, "p3", predicted: 17, .over, line: 15),
            row(.movingAverage, "p4", predicted: 6, .pass, line: 5.5),
            row(.movingAverage, "p5", predicted: 30, .over, line: 28.5),
        ]
        let summaries = Grading.grade(rows, actuals: actuals)
        let summary = try #require(summaries.first)
        #expect(summaries.count == 1)
        #expect(summary.systemID == .movingAverage)
        #expect(summary.gradedPlayerGames == 4)
        #expect(summary.meanAbsoluteError == 2.5)
        #expect(summary.calls == 3)
        #expect(summary.hits == 2)
        #expect(summary.hitRate == 2.0 / 3.0)
        #expect(summary.pushes == 1)
        #expect(summary.passes == 1)
        #expect(summary.ungradedRows == 1)
    }

    /// xgboost: p1 UNDER 20.5 at 19 → miss (23 > 20.5), MAE 4; p2 UNDER 12.5 at 9 → hit (12 < 12.5), MAE 3.
    /// Result: MAE 3.5, hit rate 1/2. Systems come back in `SystemID.all` order.
    @Test func systemsAreGradedSeparatelyInTheStandardOrder() throws {
        let rows = [
            row(.xgboost, "p1", predicted: 19, .under, line: 20.5),
            row(.movingAverage, "p1", predicted: 24, .over, line: 20.5),
            row(.xgboost, "p2", predicted: 9, .under, line: 12.5),
        ]
        let summaries = Grading.grade(rows, actuals: actuals)
        #expect(summaries.map(\.systemID) == [.movingAverage, .xgboost])
        let xgboost = summaries[1]
        #expect(xgboost.meanAbsoluteError == 3.5)
        #expect(xgboost.hits == 1)
        #expect(xgboost.calls == 2)
        #expect(xgboost.hitRate == 0.5)
        #expect(summaries[0].hitRate == 1)
    }

    @Test func rowsWithoutLinesCountForErrorButNeverAsCalls() {
        let rows = [row(.ensemble, "p2", predicted: 10, .pass, line: nil)]
        let summary = Grading.grade(rows, actuals: actuals)[0]
        #expect(summary.meanAbsoluteError == 2)
        #expect(summary.calls == 0)
        #expect(summary.hitRate == nil)
        #expect(summary.passes == 1)
    }

    @Test func nothingPlayedMeansNoErrorAndNoHitRate() {
        let summary = Grading.grade([row(.similarity, "p9", predicted: 10, .over, line: 8.5)], actuals: actuals)[0]
        #expect(summary.meanAbsoluteError == nil)
        #expect(summary.hitRate == nil)
        #expect(summary.ungradedRows == 1)
        #expect(Grading.grade([], actuals: actuals).isEmpty)
    }
    @Test func gradingDatesSeparatelyAndMergingEqualsGradingEverythingAtOnce() {
        let other = GameDate("2025-01-16")!
        var later = row(.movingAverage, "p1", predicted: 30, .under, line: 25.5)
        later.gameDate = other
        let earlier = [row(.movingAverage, "p1", predicted: 24, .over, line: 20.5),
                       row(.zoneMatchup, "p2", predicted: 14, .over, line: 11.5)]
        var allActuals = actuals
        allActuals[GradingKey(player: "p1", gameDate: other)] = 21
        let together = Grading.grade(earlier + [later], actuals: allActuals)
        let merged = Grading.merge([Grading.grade(earlier, actuals: allActuals),
                                    Grading.grade([later], actuals: allActuals)])
        #expect(merged == together)
        // moving_average: |24−23| + |30−21| = 10 over 2 games; both calls hit (23 > 20.5, 21 < 25.5).
        #expect(merged[0].meanAbsoluteError == 5)
        #expect(merged[0].hits == 2)
        #expect(merged.map(\.systemID) == [.movingAverage, .zoneMatchup])
    }
}
