import Foundation
import PropcastModels
import PropcastTestSupport
import PropcastWire

/// Inputs and models shared by the worker tests: a complete `v1_baseline_25` player with
/// enough similar past games that all five systems predict, and the committed models.
enum WorkerFixture {
    static let gameDate = GameDate("2025-01-15")!
    static let gameID: GameID = "20250115_LAL_BOS"
    static let player: PlayerLookup = "testplayer"

    /// The 25 features, read by name from `FeatureSet` so the list cannot drift.
    static let features: [String: Double] = {
        let values: [Double] = [25.0, 24.0, 22.0, 5.0, 34.0, 60.0, 2.0, 1.0, 0.5, 0, 0, 0, 0, 113.0, 100.0,
                                1, 1, 0, 0.45, 0.15, 0.30, 60.0, 100.0, 114.0, 26.0]
        return Dictionary(uniqueKeysWithValues: zip(FeatureSet.v1BaselineNames, values))
    }()

    /// Eight past games like this one (same opponent strength, rest and venue), so the
    /// similarity system finds enough similar games.
    static let recentGames: [RecentGame] = (0..<8).map { index in
        RecentGame(gameDate: gameDate.adding(days: -2 * (index + 1)), points: 20 + Double(index % 4) * 2.5,
                   opponentDefRatingLast15: 112 + Double(index % 3), daysRest: 1, isHome: true,
                   pointsAvgLast5: 24.5, pointsAvgSeason: 22)
    }

    /// A valid input with two lines that every system predicts for.
    static func input(lines: [Double] = [22.5, 26.5], quality: Double = 92, source: DataSource = .phase4,
                      features: [String: Double] = features, games: [RecentGame] = recentGames) -> PlayerInput {
        PlayerInput(player: player, gameDate: gameDate, gameID: gameID, features: features, featureQualityScore: quality,
                    dataSource: source, lineValues: lines.map { LineValue($0) }, recentGames: games)
    }

    /// The committed model directory (`Ops/models`).
    static var modelsDirectory: String { RepositoryPaths.ops("models") }

    /// The committed models, loaded once per call.
    static func registry() throws -> ModelRegistry {
        try ModelRegistry.load(from: modelsDirectory)
    }
}

extension PredictionRow {
    /// Every number of the row as its bit pattern, plus the rest, for exact comparisons
    /// (`==` on Double would equate 0.0 with -0.0).
    var bitExactKey: String {
        let extraBits = extras.keys.sorted().map { key -> String in
            switch extras[key] {
            case .number(let value)?: "\(key)=n\(value.bitPattern)"
            case .integer(let value)?: "\(key)=i\(value)"
            case .text(let value)?: "\(key)=t\(value)"
            case .list(let value)?: "\(key)=l\(value)"
            case nil: "\(key)=nil"
            }
        }
        return [predictionID.description, systemID.rawValue, player.rawValue, gameDate.description, gameID.rawValue,
                "\(predictedPoints.bitPattern)", "\(confidenceScore.bitPattern)", recommendation.rawValue,
                "\(line.map { $0.rawValue.bitPattern } as Any)", "\(lineMargin.map(\.bitPattern) as Any)",
                extraBits.joined(separator: ","), modelVersion].joined(separator: "|")
    }
}
