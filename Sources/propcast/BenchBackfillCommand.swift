import ArgumentParser
import Foundation
import PropcastBench
import PropcastFleet

/// `propcast bench backfill`: the seeded season by `batch backfill` against looping `batch run`.
struct BenchBackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Time `propcast batch backfill` of the seeded season against a loop of `batch run`, on local workers.",
        discussion: """
            Seeds the default season (166 dates, 450 players), starts --workers worker processes of this binary on \
            127.0.0.1, then --runs times: `batch backfill --jobs N` of the whole season into fresh journals, and a \
            loop of `batch run` per date into other fresh journals; prints medians and their ratio, and checks the \
            two journaled the same predictions. Make certificates with: Ops/certs.sh --dir DIR 127.0.0.1
            """)

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.") var certs: String
    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @Option(help: "Local workers.") var workers: Int = 2
    @Option(help: "Slots per worker.") var slots: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "--jobs of the backfill.") var jobs: Int = 4
    @Option(help: "Runs of each (medians are printed).") var runs: Int = 3
    @Option(help: "Keep the store and journals in this directory (default: a temporary one, removed at the end).")
    var keep: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard workers > 0, slots > 0, jobs > 0, runs > 0 else {
            throw CommandFailure(.usage, "--workers, --slots, --jobs and --runs must be positive")
        }
        do {
            var benchmark = BackfillBenchmark(installation: try LocalInstallation.locate(models: ModelDirectory.resolve(models)),
                                              certs: certs)
            (benchmark.workers, benchmark.slots, benchmark.jobs) = (workers, slots, jobs)
            (benchmark.runs, benchmark.keep) = (runs, keep)
            try await benchmark.run(report: printFlushed)
        } catch let error as FleetError {
            throw CommandFailure(.noWorker, error.description)
        } catch let error as BenchError {
            throw CommandFailure(.noWorker, error.description)
        }
    }
}
