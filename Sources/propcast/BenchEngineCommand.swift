import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels

/// `propcast bench engine`: player-lines per second through all five systems on one core.
struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure player-lines per second through all five prediction systems on one core.",
        discussion: """
            Generates --players synthetic players (deterministic for --seed; 25 features in their \
            typical ranges, 5 lines, 30 recent games each), runs the engine over them --warmup \
            times untimed, then --rounds times timed on the calling thread. One player-line is one \
            player against one line through all five systems (5 rows). Reports the best round. \
            Build with -c release for meaningful numbers.
            """)

    @Option(help: "Synthetic players per round.")
    var players = 20_000

    @Option(help: "Untimed rounds before measuring.")
    var warmup = 1

    @Option(help: "Timed rounds; the best is reported.")
    var rounds = 3

    @Option(help: "Seed of the synthetic players.")
    var seed: UInt64 = 7

    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir"))
    var models: String?

    func validate() throws {
        guard players > 0, rounds > 0, warmup >= 0 else {
            throw ValidationError("--players and --rounds must be positive, --warmup not negative")
        }
    }

    func run() async throws {
        let directory = ModelDirectory.resolve(models)
        let registry: ModelRegistry
        do {
            registry = try ModelRegistry.load(from: directory)
        } catch {
            FileHandle.standardError.write(Data("bench engine: model directory \(directory): \(error)\n".utf8))
            throw ExitStatus.usage.exit
        }
        let engine = PredictionEngine(registry: registry)
        var generator = SyntheticPlayers(seed: seed)
        let inputs = (0..<players).map { generator.input(index: $0) }
        let playerLines = inputs.reduce(0) { $0 + max(1, $1.lineValues.count) }

        var checksum = 0
        for _ in 0..<warmup { checksum &+= Self.runOnce(engine, inputs) }
        let clock = ContinuousClock()
        var best = Duration.seconds(Int64.max)
        for _ in 0..<rounds {
            var rows = 0
            let elapsed = clock.measure { rows = Self.runOnce(engine, inputs) }
            checksum &+= rows
            best = min(best, elapsed)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        print("model: \(registry.xgboost.version) (\(registry.xgboost.treeCount) trees)")
        print("players: \(players), player-lines per round: \(playerLines), rows checksum: \(checksum)")
        print(String(format: "best of %d rounds: %.3f s, %.0f player-lines/s, %.0f rows/s (one core)",
                     rounds, seconds, Double(playerLines) / seconds, Double(checksum / (warmup + rounds)) / seconds))
    }

    /// Predicts every input once; returns the number of rows (kept so the work is not optimized away).
    private static func runOnce(_ engine: PredictionEngine, _ inputs: [PlayerInput]) -> Int {
        var rows = 0
        for input in inputs { rows += engine.predict(input).rows.count }
        return rows
    }
}

/// Deterministic synthetic players with features in their typical ranges (SYSTEMS.md §1).
private struct SyntheticPlayers {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64 step mapped to [0, 1).
    private mutating func unit() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }

    private mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    mutating func input(index: Int) -> PlayerInput {
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
