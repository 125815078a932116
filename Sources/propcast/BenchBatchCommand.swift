import ArgumentParser
import Foundation
import PropcastBench
import PropcastFleet

/// `propcast bench batch`: a full game date through real worker processes, mTLS and the
/// fsync'd journal, compared with the same predictions computed in-process (the limit).
struct BenchBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Time `propcast batch run` end to end on local workers, against the in-process limit.",
        discussion: """
            Seeds a store with --players players on its busiest date (topped up with copies), gives \
            every player 5 lines, starts worker processes of this binary on 127.0.0.1 and runs \
            `propcast batch run` as a user would (a child process: mTLS, fsync'd journal), --runs \
            times per worker count, printing medians of wall time, predictions/s and the \
            coordinator's peak RSS. Without --simulate-latency it also times the same work \
            in-process (load + predict on every core + fsync'd journal) and prints the ratio. With \
            --workers 1,2,4,8 it prints throughput against linear scaling from the first count. \
            Make certificates with: Ops/certs.sh --dir DIR 127.0.0.1
            """)

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.") var certs: String
    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @Option(help: "Players on the benchmark date (the busiest seeded date, topped up with copies of its players).")
    var players: Int = 450
    @Option(help: "Worker counts to time, comma-separated (e.g. 1,2,4,8).") var workers: String = "2"
    @Option(help: "Slots per worker.") var slots: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Passed to the workers: hold every answer this long (stands in for heavier models or remote hosts).")
    var simulateLatency: DurationArgument?
    @Option(help: "Runs per worker count (medians are printed).") var runs: Int = 5
    @Option(help: "Keep the store and journals in this directory (default: a temporary one, removed at the end).")
    var keep: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let counts = workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), runs > 0 else {
            throw CommandFailure(.usage, "--workers must list positive worker counts (e.g. 1,2,4) and --runs be positive")
        }
        do {
            var benchmark = BatchBenchmark(installation: try LocalInstallation.locate(models: ModelDirectory.resolve(models)),
                                           certs: certs)
            (benchmark.players, benchmark.workerCounts, benchmark.slots) = (players, counts, slots)
            (benchmark.simulatedLatency, benchmark.runs, benchmark.keep) = (simulateLatency?.description, runs, keep)
            try await benchmark.run { print($0) }
        } catch let error as FleetError {
            throw CommandFailure(.noWorker, error.description)
        } catch let error as BenchError {
            throw CommandFailure(.noWorker, error.description)
        }
    }
}
