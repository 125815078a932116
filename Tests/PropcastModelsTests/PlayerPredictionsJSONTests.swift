import Foundation
import PropcastModels
import Testing

struct PlayerPredictionsJSONTests {
    func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func predictionsCarryTheFixedFieldsAndTheExtrasFlat() throws {
        let engine = PredictionEngine(registry: try TinyXGBoostModel.registry())
        let line = try engine.predict(EngineFixture.input(lines: [24.5], games: SimilaritySystemTests().mixedGames)).jsonLine()
        #expect(!line.contains("\n"))
        let json = try object(line)
        #expect(json["player_lookup"] as? String == "testplayer")
        #expect(json["game_date"] as? String == "2025-01-15")
        let predictions = try #require(json["predictions"] as? [[String: Any]])
        #expect(predictions.count == 5)
        let similarity = predictions[2]
        #expect(similarity["system_id"] as? String == "similarity_balanced_v1")
        #expect(similarity["line"] as? Double == 24.5)
        #expect(similarity["predicted_points"] as? Double == 26.46)
        #expect(similarity["confidence_score"] as? Double == 43)
        #expect(similarity["recommendation"] as? String == "PASS")
        #expect(similarity["similar_games_count"] as? Int == 6)
        #expect(similarity["total_adjustment"] as? Double == 2.65)
        #expect((similarity["prediction_id"] as? String)?.count == 36)
        #expect(predictions[4]["systems_used"] as? [String] == SystemID.all.dropLast().map(\.rawValue))
        #expect((json["skipped"] as? [Any])?.isEmpty == true)
    }

    @Test func noLineIsNullAndSkipsAreListed() throws {
        let engine = PredictionEngine(registry: try TinyXGBoostModel.registry())
        let json = try object(try engine.predict(EngineFixture.input()).jsonLine())
        let predictions = try #require(json["predictions"] as? [[String: Any]])
        #expect(predictions.allSatisfy { $0["line"] is NSNull && $0["line_margin"] is NSNull })
        let skipped = try #require(json["skipped"] as? [[String: String]])
        #expect(skipped == [["system_id": "similarity_balanced_v1", "reason": "no historical games"]])
    }

    @Test func validationSkipListsEachReasonForThePlayer() throws {
        let result = PredictionEngine(baseSystems: [MovingAverageSystem()])
            .predict(EngineFixture.input(removing: ["pace_score"], quality: 10))
        let json = try object(try result.jsonLine())
        #expect((json["predictions"] as? [Any])?.isEmpty == true)
        #expect(json["skipped"] as? [[String: String]] == [
            ["player": "testplayer", "reason": "missing feature pace_score"],
            ["player": "testplayer", "reason": "feature_quality_score 10.0 is below 70.0"],
        ])
    }

    @Test func failuresAreListedSeparately() throws {
        let result = PredictionEngine(baseSystems: [FailingSystem()]).predict(EngineFixture.input())
        let json = try object(try result.jsonLine())
        let failed = try #require(json["failed"] as? [[String: String]])
        #expect(failed.map { $0["system_id"] } == ["failing_test_system"])
    }
}
