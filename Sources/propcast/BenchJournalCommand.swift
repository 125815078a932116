import ArgumentParser
import PropcastBench
import PropcastJournal

/// `propcast bench journal`: group-commit throughput and append latency with concurrent
/// appenders writing one game date's predictions.
struct BenchJournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Benchmark the journal writer: records/s, p50/p99 append latency, one date durable in ms.")

    @Option(help: "Concurrent appending tasks.") var appenders = 8
    @Option(help: "Players per game date.") var players = 450
    @Option(help: "Lines per player (each predicted by all 5 systems).") var lines = 5
    @Option(help: "Records per append call (default: one player's rows = 5 × --lines).") var batch: Int?
    @Option(help: "Fresh game dates to write; figures cover all rounds.") var rounds = 5
    @Option(help: "fsync (default: one fdatasync per group) or none (BENCHMARK ONLY: not durable).") var durability = "fsync"
    @Option(help: "Group syncs allowed in progress at once (JournalConfiguration.maxSyncsInFlight).") var maxSyncs = 4
    @Option(help: "Directory for the benchmark journals (default: a new temporary directory, removed after).") var dir: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let mode = JournalConfiguration.Durability(rawValue: durability) else {
            throw CommandFailure(.usage, "--durability must be fsync or none")
        }
        guard appenders > 0, players > 0, lines > 0, rounds > 0, maxSyncs > 0, (batch ?? 1) > 0 else {
            throw CommandFailure(.usage, "--appenders, --players, --lines, --rounds, --max-syncs and --batch must be positive")
        }
        var benchmark = JournalBenchmark()
        (benchmark.appenders, benchmark.players, benchmark.lines, benchmark.batch) = (appenders, players, lines, batch)
        (benchmark.rounds, benchmark.durability, benchmark.maxSyncs, benchmark.dir) = (rounds, mode, maxSyncs, dir)
        try await benchmark.run().forEach { print($0) }
    }
}
