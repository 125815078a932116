import Foundation
import PropcastFleet
import PropcastJournal
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastWire

/// `propcast bench batch`: a full game date through real worker processes, mTLS and the
/// fsync'd journal, compared with the same predictions computed in-process (the limit).
///
/// Seeds a store with `players` players on its busiest date (topped up with copies), gives
/// every player 5 lines, starts worker processes of this binary on 127.0.0.1 and runs
/// `propcast batch run` as a user would (a child process), `runs` times per worker count,
/// reporting medians of wall time, predictions/s and the coordinator's peak RSS. Without
/// simulated latency it also times the same work in-process and reports the ratio; with
/// several worker counts, throughput against linear scaling from the first.
public struct BatchBenchmark: Sendable {
    /// The binary, models and `certs.sh` of this installation.
    public var installation: LocalInstallation
    /// A directory made by `Ops/certs.sh` with a certificate for 127.0.0.1.
    public var certs: String
    /// Players on the benchmark date.
    public var players = 450
    /// Worker counts to time, in order.
    public var workerCounts = [2]
    /// Slots per worker.
    public var slots = ProcessInfo.processInfo.activeProcessorCount
    /// Passed to the workers as `--simulate-latency` (e.g. `20ms`); nil: real predictions only.
    public var simulatedLatency: String?
    /// Runs per worker count (medians are reported).
    public var runs = 5
    /// Keep the store and journals here (nil: a temporary directory, removed at the end).
    public var keep: String?

    public init(installation: LocalInstallation, certs: String) {
        self.installation = installation
        self.certs = certs
    }

    /// Runs every measurement; `report` gets each line as it is known.
    /// Throws ``BenchError``, ``FleetError`` or ``StoreError``.
    public func run(report: @Sendable (String) -> Void) async throws {
        let scratch = try BenchDirectory(keep: keep)
        defer { scratch.remove() }
        let directory = scratch.path
        let (storePath, date, inputs) = try prepareStore(in: directory)
        let lines = inputs.reduce(0) { $0 + $1.lineValues.count }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        report("date \(date): \(inputs.count) players, \(lines) player-lines; \(runs) runs each, medians; \(cores) cores")
        var limit: Double?
        if simulatedLatency == nil {
            var rates: [Double] = []
            for run in 0..<runs {
                let local = try await InProcessBatch(models: installation.models)
                    .run(storePath: storePath, date: date, journalDirectory: "\(directory)/local-\(run)")
                rates.append(Double(local.rows) / local.seconds)
            }
            limit = BenchFigures.median(rates)
            report(String(format: "in-process limit (load + predict on %d cores + fsync'd journal, one commit per 32 players): "
                          + "%.0f predictions/s", cores, limit ?? 0))
        }
        let extra = simulatedLatency.map { ["--simulate-latency", $0] } ?? []
        let fleet = try await LocalWorkerFleet.start(count: workerCounts.max() ?? 1) { index in
            LocalWorkerLaunch(binary: installation.binary, models: installation.models, certificateDirectory: certs,
                              nodeID: "bench-\(index)", slots: slots, logLevel: "error", extraArguments: extra)
        }
        var first: (workers: Int, rate: Double)?
        for count in workerCounts {
            var walls: [Double] = [], rates: [Double] = [], peaks: [Double] = []
            for run in 0..<runs {
                let result = try measureBatchRun(date: date, storePath: storePath,
                                                 journalDirectory: "\(directory)/journal-\(count)-\(run)",
                                                 endpoints: Array(fleet.endpoints.prefix(count)), scratch: directory)
                walls.append(result.wall)
                rates.append(Double(result.predictions) / result.wall)
                peaks.append(Double(result.peakRSS) / 1_048_576)
            }
            let rate = BenchFigures.median(rates)
            var line = String(format: "batch run, %d worker(s) × %d slots%@: %.3f s wall, %.0f predictions/s, "
                              + "coordinator peak RSS %.1f MB", count, slots,
                              simulatedLatency.map { " (latency \($0))" } ?? "", BenchFigures.median(walls), rate,
                              BenchFigures.median(peaks))
            line += " (runs: " + walls.map { String(format: "%.3f", $0) }.joined(separator: ", ") + " s; RSS "
                + peaks.map { String(format: "%.0f", $0) }.joined(separator: ", ") + " MB)"
            if let limit { line += String(format: ", %.0f%% of in-process", rate / limit * 100) }
            if let first {
                let linear = first.rate * Double(count) / Double(first.workers)
                line += String(format: ", %.2f× linear from %d", rate / linear, first.workers)
            } else {
                first = (count, rate)
            }
            report(line)
        }
        await fleet.stop()
    }

    /// One `propcast batch run` as a child process (coverage limits off: the copies of
    /// low-quality players are skipped, as they should be); its journal is counted afterwards.
    private func measureBatchRun(date: GameDate, storePath: String, journalDirectory: String, endpoints: [Endpoint],
                                 scratch: String) throws -> (wall: Double, predictions: Int, peakRSS: Int) {
        let result = try MeasuredProcess.run(installation.binary, [
            "batch", "run", "--date", "\(date)", "--store", storePath, "--journal-dir", journalDirectory,
            "--workers", endpoints.map(\.description).joined(separator: ","), "--wait", "0s",
            "--cert", "\(certs)/coordinator.pem", "--key", "\(certs)/coordinator.key", "--ca", "\(certs)/ca.pem",
            "--log-level", "error", "--min-coverage", "0", "--max-missing-pct", "100", "--max-missing-players", "1000000",
        ], outputPath: "\(scratch)/batch-run.out")
        guard result.status == 0 else { throw BenchError("batch run exited \(result.status):\n\(result.output)") }
        let journal = try JournalReader.read(path: JournalDirectory(journalDirectory).journalPath(for: date), date: date)
        return (result.wall.seconds, journal.index.currentIDs.count, result.peakRSS)
    }

    /// Seeds the largest league the generator makes, picks its busiest date, tops it up to
    /// `players` with renamed copies of its players (features and history), and gives every
    /// player on it 5 lines around its first.
    private func prepareStore(in directory: String) throws -> (String, GameDate, [PlayerInput]) {
        let path = "\(directory)/store.sqlite"
        try StoreSeeder(configuration: StoreSeedConfiguration(players: 600, lastDate: GameDate("2024-12-15"))).seed(path: path)
        let store = try FeatureStore(path: path, readOnly: false)
        let date = try store.busiestDate(onOrAfter: GameDate("2024-11-15")!) ?? GameDate("2024-12-10")!
        try store.addCopies(on: date, upTo: players)
        try store.replaceLines(on: date) { old in
            let center = max(old.first ?? 15.5, 4.5)  // five lines around it, all valid
            return (-2...2).map { center + Double($0) }
        }
        return (path, date, try store.playerInputs(on: date))
    }
}
