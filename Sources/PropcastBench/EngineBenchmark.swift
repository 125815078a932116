import PropcastModels
import PropcastSeason

/// `propcast bench engine`: player-lines per second through all five systems on one core.
///
/// Generates synthetic players (deterministic for the seed; 25 features in their typical
/// ranges, 5 lines, 30 recent games each), runs the engine over them `warmup` times untimed,
/// then `rounds` times timed on the calling thread, and reports the best round. One
/// player-line is one player against one line through all five systems (5 rows).
public struct EngineBenchmark: Sendable {
    public var players = 20_000
    public var warmup = 1
    public var rounds = 3
    public var seed: UInt64 = 7
    public let registry: ModelRegistry

    public init(registry: ModelRegistry) { self.registry = registry }

    /// Runs the rounds and returns the report lines.
    public func run() -> [String] {
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
        let seconds = best.seconds
        return [
            "model: \(registry.xgboost.version) (\(registry.xgboost.treeCount) trees)",
            "players: \(players), player-lines per round: \(playerLines), rows checksum: \(checksum)",
            String(format: "best of %d rounds: %.3f s, %.0f player-lines/s, %.0f rows/s (one core)",
                   rounds, seconds, Double(playerLines) / seconds, Double(checksum / (warmup + rounds)) / seconds),
        ]
    }

    /// Predicts every input once; returns the number of rows (kept so the work is not optimized away).
    private static func runOnce(_ engine: PredictionEngine, _ inputs: [PlayerInput]) -> Int {
        var rows = 0
        for input in inputs { rows += engine.predict(input).rows.count }
        return rows
    }
}
