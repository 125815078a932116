import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastStore
import PropcastTLS
import PropcastWire

/// The readiness, quality, dispatch and connection flags of every command that runs batches
/// (`batch run/retry/backfill`, `coordinator`).
struct BatchTuningOptions: ParsableArguments {
    @Option(help: "Ready when this % of expected players have production-ready features…") var minReadyPct: Double = 80
    @Option(help: "…or at least this many players do…") var minReadyPlayers: Int = 100
    @Option(help: "…and their average feature quality is at least this; below it nothing is predicted (exit 4).")
    var minQuality: Double = 75

    @Flag(help: "Predict even when the average feature quality is below --min-quality (the summary says so).")
    var allowLowQuality = false

    @Option(help: "Time a worker has to answer a request frame (all its players: see --players-per-frame; slow models need more).")
    var requestTimeout: DurationArgument = DurationArgument(argument: "30s")!

    @Option(help: "Attempts per player before it is journaled as failed.") var maxAttempts: Int = 3
    @Option(help: "Most players sent to a worker in one request frame (it may announce fewer).") var playersPerFrame: Int = 32
    @Option(help: "Heartbeat interval (at most 5m), announced to the workers; either side drops a peer silent for 3 intervals.")
    var heartbeat: DurationArgument = DurationArgument(argument: "2s")!

    @Option(help: "Give up when no worker has been reachable for this long.")
    var connectGrace: DurationArgument = DurationArgument(argument: "15s")!

    @Option(help: "Name of this coordinator in Hello and the journal.") var nodeId: String = ProcessInfo.processInfo.hostName

    /// The batch configuration of `date` from these flags, or exit 2 naming the bad flag.
    func makeConfiguration(date: GameDate, target: BatchTargetOptions, sla: CoverageSLA) throws -> BatchConfiguration {
        let workers = try target.endpoints()
        guard heartbeat.duration > .zero, heartbeat.duration <= WireConfiguration.maxHeartbeatInterval else {
            throw CommandFailure(.usage, "--heartbeat \(heartbeat) must be between 1ms and 5m")
        }
        guard (0...100).contains(minReadyPct), (0...100).contains(minQuality), minReadyPlayers >= 0 else {
            throw CommandFailure(.usage, "--min-ready-pct and --min-quality take 0–100, --min-ready-players ≥ 0")
        }
        guard maxAttempts >= 1 else { throw CommandFailure(.usage, "--max-attempts must be at least 1") }
        guard (1...4096).contains(playersPerFrame) else {
            throw CommandFailure(.usage, "--players-per-frame must be 1…4096 (got \(playersPerFrame))")
        }
        return BatchConfiguration(
            date: date, storePath: target.store, journalDirectory: target.journalDir, workers: workers, nodeID: nodeId,
            readinessRule: ReadinessRule(minReadyPercent: minReadyPct, minReadyPlayers: minReadyPlayers,
                                         minAverageQuality: minQuality),
            requestTimeout: requestTimeout.duration, maxAttempts: maxAttempts,
            wire: WireConfiguration(heartbeatInterval: heartbeat.duration),
            connectGracePeriod: connectGrace.duration, sla: sla, allowLowQuality: allowLowQuality,
            maxPlayersPerFrame: playersPerFrame)
    }
}

/// Where batches read, write and send: `--store`, `--journal-dir`, `--workers`, `--workers-file`.
struct BatchTargetOptions: ParsableArguments {
    @Option(help: "Feature store: an SQLite file or a postgresql:// URL.") var store: String = "propcast.sqlite"
    @Option(help: "Directory of the per-date journals.") var journalDir: String = "journal"
    @Option(help: "Workers, comma-separated HOST:PORT list.") var workers: String?
    @Option(help: "File with one worker HOST:PORT per line (# comments allowed).") var workersFile: String?

    /// The workers of `--workers` and `--workers-file` as one list.
    func endpoints() throws -> [Endpoint] { try WorkerOptions(workers: workers, workersFile: workersFile).list() }
}

/// `--workers` / `--workers-file` as one list.
struct WorkerOptions {
    var workers: String?
    var workersFile: String?

    /// The endpoints, or exit 2 naming what is wrong; a defaulted port is said on stderr.
    func list() throws -> [Endpoint] {
        let list: WorkerList
        do {
            let file = try workersFile.map { name in
                guard let contents = try? String(contentsOfFile: name, encoding: .utf8) else {
                    throw CommandFailure(.usage, "--workers-file \(name): cannot be read")
                }
                return (name, contents)
            }
            list = try WorkerList(commaSeparated: workers, file: file)
        } catch let error as BatchError {
            throw CommandFailure(.usage, error.description)
        }
        for (written, endpoint) in list.defaultedPorts { printToStderr("propcast: worker \(written) → \(endpoint) (the default port)") }
        return list.endpoints
    }
}
