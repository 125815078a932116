import Foundation
import GRDB
import PropcastModels
import PropcastStore
import Testing

struct PredictionTableTests {
    private let date = GameDate("2025-01-15")!

    private func row(_ player: String, system: SystemID = .movingAverage, line: Double? = 22.5,
                     predicted: Double = 24.0) -> PredictionTable.Row {
        let lookup = PlayerLookup(player)
        let game = GameID("20250115_LAL_BOS")
        let lineValue = line.map { LineValue($0) }
        let prediction = PredictionRow(
            predictionID: PredictionID(gameDate: date, player: lookup, gameID: game, system: system, line: lineValue,
                                       modelVersion: "v1", inputFingerprint: nil),
            systemID: system, player: lookup, gameDate: date, gameID: game, predictedPoints: predicted,
            confidenceScore: 71.5, recommendation: line == nil ? .pass : .over, line: lineValue,
            lineMargin: line.map { predicted - $0 },
            extras: ["similar_games_count": .integer(9), "systems_used": .list(["moving_average", "xgboost_v1"])],
            modelVersion: "v1", inputFingerprint: nil)
        return PredictionTable.Row(prediction: prediction, createdAt: "2025-01-15T18:00:00.123Z")
    }

    @Test func upsertingTheSameRowsTwiceInsertsOnceAndThenChangesNothing() throws {
        let database = try DatabaseQueue()
        let rows = [row("a"), row("a", system: .xgboost), row("b", line: nil)]
        #expect(try PredictionTable.upsert(rows, in: database) == .init(inserted: 3, updated: 0, unchanged: 0, removed: 0))
        let totalChangesBefore = try database.read { $0.totalChangesCount }
        #expect(try PredictionTable.upsert(rows, in: database) == .init(inserted: 0, updated: 0, unchanged: 3, removed: 0))
        #expect(try database.read { $0.totalChangesCount } == totalChangesBefore)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM player_prop_predictions") } == 3)
    }

    @Test func storedRowsReadBackEqualWithAllUpstreamColumns() throws {
        let database = try DatabaseQueue()
        let rows = [row("a"), row("b", line: nil)]
        _ = try PredictionTable.upsert(rows, in: database)
        let stored = try database.read { try PredictionTable.fetchAll($0, gameDate: date) }
        #expect(stored == rows)
        let columns = try database.read { try $0.columns(in: PredictionTable.name).map(\.name) }
        #expect(columns == ["prediction_id", "system_id", "player_lookup", "game_date", "game_id", "predicted_points",
                            "confidence_score", "recommendation", "line_value", "line_margin", "extras",
                            "model_version", "created_at", "input_fingerprint"])
        let nullLine = try database.read {
            try Row.fetchOne($0, sql: "SELECT line_value, line_margin FROM player_prop_predictions WHERE player_lookup = 'b'")
        }
        #expect(nullLine?["line_value"] as DatabaseValue? == .null)
    }

    @Test func aChangedRowIsUpdatedInPlace() throws {
        let database = try DatabaseQueue()
        _ = try PredictionTable.upsert([row("a")], in: database)
        var changed = row("a")
        changed.prediction.predictedPoints = 30
        #expect(try PredictionTable.upsert([changed], in: database) == .init(inserted: 0, updated: 1, unchanged: 0, removed: 0))
        #expect(try database.read { try PredictionTable.fetchAll($0, gameDate: date) } == [changed])
    }

    @Test func supersededIDsAreRemovedOnce() throws {
        let database = try DatabaseQueue()
        let keep = row("a")
        let drop = row("a", system: .zoneMatchup)
        _ = try PredictionTable.upsert([keep, drop], in: database)
        let removing: Set<PredictionID> = [drop.prediction.predictionID]
        #expect(try PredictionTable.upsert([keep], removing: removing, in: database).removed == 1)
        #expect(try PredictionTable.upsert([keep], removing: removing, in: database).removed == 0)
        #expect(try database.read { try PredictionTable.fetchAll($0, gameDate: date) } == [keep])
    }

    @Test func confidenceOutsideZeroToHundredIsRejectedByTheTable() throws {
        let database = try DatabaseQueue()
        var bad = row("a")
        bad.prediction.confidenceScore = 140
        #expect(throws: DatabaseError.self) { try PredictionTable.upsert([bad], in: database) }
    }
}
