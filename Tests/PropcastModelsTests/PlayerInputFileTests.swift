import Foundation
import PropcastModels
import PropcastTestSupport
import Testing

struct PlayerInputFileTests {
    static let object = """
        {"player_lookup": "lebronjames", "game_date": "2025-01-15", "game_id": "20250115_LAL_BOS",
         "features": {"points_avg_last_5": 27.4}, "feature_quality_score": 92,
         "line_values": [24.5, 25.5],
         "recent_games": [{"game_date": "2025-01-13", "points": 31, "is_home": true}]}
        """

    @Test func decodesASingleObject() throws {
        let inputs = try PlayerInputFile.decode(Data(Self.object.utf8), source: "one.json")
        #expect(inputs.count == 1)
        #expect(inputs[0].player == "lebronjames")
        #expect(inputs[0].dataSource == .phase4)
        #expect(inputs[0].lineValues == [LineValue(24.5), LineValue(25.5)])
        #expect(inputs[0].recentGames.first?.isHome == true)
    }

    @Test func decodesAnArray() throws {
        let inputs = try PlayerInputFile.decode(Data("  [\(Self.object), \(Self.object)]".utf8), source: "two.json")
        #expect(inputs.count == 2)
    }

    @Test func errorNamesTheFileAndTheJSONPath() {
        let bad = Self.object.replacingOccurrences(of: "\"2025-01-13\"", with: "\"2025-13-01\"")
        #expect {
            try PlayerInputFile.decode(Data("[\(Self.object), \(bad)]".utf8), source: "in.json")
        } throws: { error in
            let error = error as? PlayerInputFileError
            return error?.file == "in.json" && error?.jsonPath == "$[1].recent_games[0].game_date"
                && (error?.description.contains("is not YYYY-MM-DD") ?? false)
        }
        let missing = Self.object.replacingOccurrences(of: "\"feature_quality_score\": 92,", with: "")
        #expect(throws: PlayerInputFileError(file: "in.json", jsonPath: "$",
                                             detail: "required key 'feature_quality_score' is missing")) {
            try PlayerInputFile.decode(Data(missing.utf8), source: "in.json")
        }
        let wrongType = Self.object.replacingOccurrences(of: "27.4", with: "\"many\"")
        #expect {
            try PlayerInputFile.decode(Data(wrongType.utf8), source: "in.json")
        } throws: { ($0 as? PlayerInputFileError)?.jsonPath == "$.features.points_avg_last_5" }
    }

    @Test func missingFileIsReportedByName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent.json")
        #expect {
            try PlayerInputFile.load(path: path)
        } throws: { error in
            (error as? PlayerInputFileError)?.file == path && "\(error)".hasPrefix("input file \(path): cannot be read")
        }
    }
}
