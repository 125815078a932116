import PropcastModels

/// Deterministic synthetic players with features in their typical ranges (SYSTEMS.md §1),
/// for engine benchmarks: no league, no schedule, just plausible inputs.
public struct SyntheticPlayers: Sendable {
    private var rng: SeededGenerator

    /// The players of `seed` (the same seed gives the same players).
    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    private mutating func unit() -> Double { rng.unit() }

    private mutating func uniform(_ low: Double, _ high: Double) -> Double { rng.uniform(low, high) }

    /// Player number `index`: 25 features, 5 lines around its season average, 30 recent games.
    public mutating func input(index: Int) -> PlayerInput {
        let gameDate = GameDate("2025-01-15")!
        let season = uniform(4, 32)
        let last10 = max(0, season + uniform(-4, 4))
        let last5 = max(0, last10 + uniform(-4, 4))
        let daysRest = Double(Int(uniform(0, 4)))
        let values: [Double] = [
            last5, last10, season, uniform(1, 10), uniform(12, 38), uniform(40, 100),
            uniform(-5, 5), uniform(-2, 2), uniform(-2, 2), 0, 0, 0, 0,
            uniform(104, 120), uniform(96, 104), Double(Int(uniform(0, 2))), daysRest, daysRest == 0 ? 1 : 0,
            uniform(0.2, 0.6), uniform(0.1, 0.25), uniform(0.1, 0.5), uniform(40, 80),
            uniform(96, 104), uniform(106, 118), uniform(10, 32),
        ]
        let features = Dictionary(uniqueKeysWithValues: zip(FeatureSet.v1BaselineNames, values))
        let center = (season * 2).rounded() / 2
        let lines = (-2...2).map { LineValue(max(0.5, center + Double($0) + 0.5)) }
        let games = (1...30).map { back in
            RecentGame(gameDate: gameDate.adding(days: -2 * back), points: max(0, (season + uniform(-8, 8)).rounded()),
                       opponentDefRatingLast15: uniform(104, 120), daysRest: Int(uniform(0, 4)),
                       isHome: unit() < 0.5, pointsAvgLast5: max(0, season + uniform(-4, 4)), pointsAvgSeason: season)
        }
        return PlayerInput(player: PlayerLookup("player\(index)"), gameDate: gameDate, gameID: GameID("20250115_G\(index % 15)"),
                           features: features, featureQualityScore: uniform(72, 100), dataSource: .phase4,
                           lineValues: lines, recentGames: games)
    }
}
