import ArgumentParser
import PropcastBench
import PropcastPostgres

/// `propcast bench postgres`: the PostgreSQL store and export against SQLite, in one run.
struct BenchPostgresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Benchmark a PostgreSQL store: loading a date against SQLite, and exporting a date through COPY.",
        discussion: "Needs an empty database with Ops/sql/propcast-store.sql applied; the benchmark seeds it "
            + "and writes player_prop_predictions rows of 2025-02-01.")

    @Option(help: ArgumentHelp("An empty PostgreSQL database with the store schema.", valueName: "url")) var postgres: String
    @Option(help: "Players in the seeded season (900 give about 450 on the busiest dates).") var players = 900
    @Option(help: "Runs of each measurement (medians are reported).") var runs = 7
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let url = PostgresURL(postgres) else { throw CommandFailure(.usage, "--postgres '\(postgres)' is not a postgresql:// URL") }
        guard players > 1, runs > 0 else { throw CommandFailure(.usage, "--players must be above 1 and --runs positive") }
        var benchmark = PostgresBenchmark(url: url)
        (benchmark.players, benchmark.runs) = (players, runs)
        do {
            try await benchmark.run { print($0) }
        } catch let error as PostgresError {
            throw CommandFailure(.usage, "\(error)")
        }
    }
}
