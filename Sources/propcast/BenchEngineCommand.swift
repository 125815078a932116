import ArgumentParser
import PropcastBench
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

    @Option(help: "Synthetic players per round.") var players = 20_000
    @Option(help: "Untimed rounds before measuring.") var warmup = 1
    @Option(help: "Timed rounds; the best is reported.") var rounds = 3
    @Option(help: "Seed of the synthetic players.") var seed: UInt64 = 7
    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard players > 0, rounds > 0, warmup >= 0 else {
            throw ValidationError("--players and --rounds must be positive, --warmup not negative")
        }
    }

    func run() async throws {
        var benchmark = EngineBenchmark(registry: try ModelDirectory.loadRegistry(models))
        (benchmark.players, benchmark.warmup, benchmark.rounds, benchmark.seed) = (players, warmup, rounds, seed)
        benchmark.run().forEach { print($0) }
    }
}
