import Foundation
import PropcastModels
import PropcastTestSupport
import Testing

/// The independent oracle: `../shared/parity/` holds 400 inputs and what the upstream
/// pipeline's own Python systems answered for them (with `Ops/models/xgboost_v1.json`).
/// Every (player, system, line) row must match: the same rows, points and confidence within
/// 1e-9, the same recommendation.
@Suite struct UpstreamParityTests {
    struct ExpectedRow: Decodable {
        let system_id: String
        let line: Double?
        let predicted_points: Double
        let confidence_score: Double
        let recommendation: String
    }

    struct ExpectedPlayer: Decodable {
        let player_lookup: String
        let predictions: [ExpectedRow]
    }

    @Test func everyRowOfTheUpstreamOracleMatches() throws {
        let directory = RepositoryPaths.shared("parity")
        let inputs = try PlayerInputFile.load(path: "\(directory)/cases.json")
        let expected = try String(contentsOfFile: "\(directory)/expected.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONDecoder().decode(ExpectedPlayer.self, from: Data($0.utf8)) }
        try #require(inputs.count == 400 && expected.count == 400, "the parity oracle holds 400 cases")
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: RepositoryPaths.ops("models")))

        var matched = 0
        var total = 0
        var differences: [String] = []
        for (input, oracle) in zip(inputs, expected) {
            #expect(input.player.rawValue == oracle.player_lookup)
            let rows = engine.predict(input).rows
            var ours: [String: PredictionRow] = [:]
            for row in rows { ours["\(row.systemID.rawValue)@\(row.line.map(\.description) ?? "none")"] = row }
            #expect(rows.count == oracle.predictions.count, "\(oracle.player_lookup): \(rows.count) rows, upstream \(oracle.predictions.count)")
            for want in oracle.predictions {
                total += 1
                let key = "\(want.system_id)@\(want.line.map { LineValue($0).description } ?? "none")"
                guard let row = ours[key] else {
                    differences.append("\(oracle.player_lookup) \(key): no row")
                    continue
                }
                if abs(row.predictedPoints - want.predicted_points) <= 1e-9,
                   abs(row.confidenceScore - want.confidence_score) <= 1e-9,
                   row.recommendation.rawValue == want.recommendation {
                    matched += 1
                } else {
                    differences.append("\(oracle.player_lookup) \(key): ours \(row.predictedPoints) \(row.confidenceScore) "
                                       + "\(row.recommendation.rawValue), upstream \(want.predicted_points) "
                                       + "\(want.confidence_score) \(want.recommendation)")
                }
            }
        }
        #expect(total == 3_379)
        let firstDifferences = differences.prefix(10).joined(separator: "\n")
        #expect(matched == total, "\(matched) of \(total) rows match; first differences:\n\(firstDifferences)")
    }
}
