import Foundation
import PropcastDigest
import PropcastModels
import Testing

/// The input fingerprint is SHA-256 of the canonical text of Protocols/JOURNAL.md, written out
/// here by hand for inputs with every kind of entry: absent values, a negative days-rest, an
/// extra feature, a game in another year (the parity cases have none of those).
@Suite struct InputFingerprintTextTests {
    private func bits(_ value: Double) -> String {
        String(value.bitPattern, radix: 16).leftPadded(to: 16)
    }

    @Test func theFingerprintIsTheDigestOfTheDocumentedText() throws {
        var features = Dictionary(uniqueKeysWithValues: FeatureSet.v1BaselineNames.enumerated().map { ($1, Double($0) * 1.5 - 3) })
        features["pct_free_throw"] = 0.8
        features["a_new_feature"] = -0.0
        let games = [
            RecentGame(gameDate: try #require(GameDate("2025-01-10")), points: 31, opponentDefRatingLast15: 112.5, daysRest: 2,
                       isHome: true, pointsAvgLast5: 27.25, pointsAvgSeason: 25),
            RecentGame(gameDate: try #require(GameDate("2024-12-31")), points: 0, opponentDefRatingLast15: nil, daysRest: nil,
                       isHome: nil, pointsAvgLast5: nil, pointsAvgSeason: nil),
            RecentGame(gameDate: try #require(GameDate("2024-12-29")), points: 12, daysRest: -3, isHome: false),
        ]
        let input = PlayerInput(player: "somebody", gameDate: try #require(GameDate("2025-01-15")), gameID: "20250115_LAL_BOS",
                                features: features, featureQualityScore: 87.5, dataSource: .phase3,
                                lineValues: [LineValue(24.5)], recentGames: games)

        var text = "propcast-inputs/1\n"
        for name in FeatureSet.v1BaselineNames { text += "feature \(name.utf8.count):\(name) \(bits(features[name]!))\n" }
        for name in ["a_new_feature", "pct_free_throw"] { text += "feature \(name.utf8.count):\(name) \(bits(features[name]!))\n" }
        text += "quality \(bits(87.5))\nsource phase3\n"
        text += "game 2025-01-10 \(bits(31)) \(bits(112.5)) 2 1 \(bits(27.25)) \(bits(25))\n"
        text += "game 2024-12-31 \(bits(0)) - - - - -\n"
        text += "game 2024-12-29 \(bits(12)) - -3 0 - -\n"

        #expect(InputFingerprint(input, line: LineValue(24.5)).hex == SHA256Digest.hex(Array((text + "line 4038800000000000\n").utf8)))
        #expect(InputFingerprint(input, line: nil).hex == SHA256Digest.hex(Array((text + "line none\n").utf8)))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
