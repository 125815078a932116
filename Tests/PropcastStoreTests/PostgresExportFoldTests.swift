import PropcastModels
@testable import PropcastStore
import Testing

/// The export's fold without a database: what is streamed, merged and deactivated for each way
/// a journal can touch an id.
struct PostgresExportFoldTests {
    private static func row(_ player: String, created: String = "2025-01-15T18:00:00.000Z") -> PredictionTable.Row {
        let date = GameDate("2025-01-15")!, lookup = PlayerLookup(player), game = GameID("20250115_LAL_BOS")
        let id = PredictionID(gameDate: date, player: lookup, gameID: game, system: .xgboost, line: LineValue(20.5),
                              modelVersion: "v1", inputFingerprint: nil)
        return PredictionTable.Row(prediction: PredictionRow(
            predictionID: id, systemID: .xgboost, player: lookup, gameDate: date, gameID: game, predictedPoints: 22,
            confidenceScore: 70, recommendation: .over, line: LineValue(20.5), lineMargin: 1.5, extras: [:],
            modelVersion: "v1", inputFingerprint: nil), createdAt: created)
    }

    private static func id(_ row: PredictionTable.Row) -> PredictionID { row.prediction.predictionID }

    @Test func streamingHandsBackFirstSightsAndKeepsOnlyWhatChangesAfter() {
        let a = Self.row("a"), b = Self.row("b"), c = Self.row("c"), later = Self.row("a", created: "2025-01-15T19:00:00.000Z")
        var fold = PostgresExportFold(streaming: true)
        #expect(fold.add(.prediction(a)) == a)
        #expect(fold.add(.prediction(b)) == b)
        #expect(fold.add(nil) == nil)
        #expect(fold.add(.superseded([Self.id(b)])) == nil)
        #expect(fold.add(.prediction(later)) == nil, "journaled again: merged, not streamed twice")
        #expect(fold.add(.prediction(c)) == c)
        #expect(fold.add(.superseded([Self.id(c)])) == nil)
        #expect(fold.add(.prediction(c)) == nil)
        #expect(fold.streamedCount == 3)
        #expect(fold.merges == [.init(row: later, active: true), .init(row: c, active: true)])
        #expect(fold.deactivations == [Self.id(b)], "c was withdrawn, then journaled again")
    }

    @Test func streamedThenJournaledAgainThenWithdrawnMergesInactive() {
        let a = Self.row("a")
        var fold = PostgresExportFold(streaming: true)
        _ = fold.add(.prediction(a))
        _ = fold.add(.prediction(a))
        _ = fold.add(.superseded([Self.id(a)]))
        #expect(fold.merges == [.init(row: a, active: false)])
        #expect(fold.deactivations.isEmpty)
    }

    @Test func notStreamingKeepsEveryIdsLastStateAndDeactivatesOnlyUnknownIds() {
        let a = Self.row("a"), b = Self.row("b"), earlier = Self.row("exported-before")
        var fold = PostgresExportFold(streaming: false)
        #expect(fold.add(.prediction(a)) == nil)
        #expect(fold.add(.prediction(b)) == nil)
        #expect(fold.add(.superseded([Self.id(a), Self.id(earlier)])) == nil)
        #expect(fold.streamedCount == 0)
        #expect(fold.merges == [.init(row: a, active: false), .init(row: b, active: true)])
        #expect(fold.deactivations == [Self.id(earlier)])
        _ = fold.add(.prediction(earlier))
        #expect(fold.deactivations.isEmpty, "journaled again after it was withdrawn: active")
        #expect(fold.merges.last == .init(row: earlier, active: true))
    }
}
