import ArgumentParser
import Foundation
import GRDB
import Logging
import NIOPosix
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastStore
import PropcastTLS
import PropcastWire

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

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.")
    var certs: String

    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir"))
    var models: String?

    @Option(help: "Players on the benchmark date (the busiest seeded date, topped up with copies of its players).")
    var players: Int = 450

    @Option(help: "Worker counts to time, comma-separated (e.g. 1,2,4,8).")
    var workers: String = "2"

    @Option(help: "Slots per worker.")
    var slots: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Passed to the workers: hold every answer this long (stands in for heavier models or remote hosts).")
    var simulateLatency: DurationArgument?

    @Option(help: "Runs per worker count (medians are printed).")
    var runs: Int = 5

    @Option(help: "Keep the store and journals in this directory (default: a temporary one, removed at the end).")
    var keep: String?

    func run() async throws {
        let counts = workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), runs > 0 else {
            throw ValidationError("--workers must list positive worker counts (e.g. 1,2,4) and --runs be positive")
        }
        let directory = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("propcast-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let (storePath, date, inputs) = try prepareStore(in: directory)
        let lines = inputs.reduce(0) { $0 + $1.lineValues.count }
        print("date \(date): \(inputs.count) players, \(lines) player-lines; \(runs) runs each, medians; "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")

        var limit: Double?
        if simulateLatency == nil {
            var rates: [Double] = []
            for run in 0..<runs {
                let local = try await runInProcess(storePath: storePath, date: date, journalDirectory: "\(directory)/local-\(run)")
                rates.append(Double(local.rows) / local.seconds)
            }
            limit = Self.median(rates)
            print(String(format: "in-process limit (load + predict on %d cores + fsync'd journal, one commit per 32 players): %.0f predictions/s",
                         ProcessInfo.processInfo.activeProcessorCount, limit!))
        }

        let processes = try startWorkers(count: counts.max()!)
        defer { for process in processes { process.terminate() } }
        let endpoints = try processes.map { try Self.readyEndpoint(of: $0) }
        var first: (workers: Int, rate: Double)?
        for count in counts {
            var walls: [Double] = [], rates: [Double] = [], peaks: [Double] = []
            for run in 0..<runs {
                let result = try measureBatchRun(date: date, storePath: storePath,
                                                 journalDirectory: "\(directory)/journal-\(count)-\(run)",
                                                 endpoints: Array(endpoints.prefix(count)), scratch: directory)
                walls.append(result.wall)
                rates.append(Double(result.predictions) / result.wall)
                peaks.append(Double(result.peakRSS) / 1_048_576)
            }
            let rate = Self.median(rates)
            var line = String(format: "batch run, %d worker(s) × %d slots%@: %.3f s wall, %.0f predictions/s, "
                              + "coordinator peak RSS %.1f MB", count, slots,
                              simulateLatency.map { " (latency \($0))" } ?? "", Self.median(walls), rate, Self.median(peaks))
            line += " (runs: " + walls.map { String(format: "%.3f", $0) }.joined(separator: ", ") + " s; RSS "
                + peaks.map { String(format: "%.0f", $0) }.joined(separator: ", ") + " MB)"
            if let limit { line += String(format: ", %.0f%% of in-process", rate / limit * 100) }
            if let first {
                let linear = first.rate * Double(count) / Double(first.workers)
                line += String(format: ", %.2f× linear from %d", rate / linear, first.workers)
            } else {
                first = (count, rate)
            }
            print(line)
        }
    }

    /// One `propcast batch run` as a child process (coverage limits off: the copies of
    /// low-quality players are skipped, as they should be); its journal is counted afterwards.
    private func measureBatchRun(date: GameDate, storePath: String, journalDirectory: String, endpoints: [Endpoint],
                                 scratch: String) throws -> (wall: Double, predictions: Int, peakRSS: Int) {
        let binary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath().path
        let result = try MeasuredProcess.run(binary, [
            "batch", "run", "--date", "\(date)", "--store", storePath, "--journal-dir", journalDirectory,
            "--workers", endpoints.map(\.description).joined(separator: ","), "--wait", "0s",
            "--cert", "\(certs)/coordinator.pem", "--key", "\(certs)/coordinator.key", "--ca", "\(certs)/ca.pem",
            "--log-level", "error", "--min-coverage", "0", "--max-missing-pct", "100", "--max-missing-players", "1000000",
        ], outputPath: "\(scratch)/batch-run.out")
        guard result.status == 0 else {
            throw CommandFailure(ExitStatus(rawValue: result.status) ?? .usage, "batch run exited \(result.status):\n\(result.output)")
        }
        let journal = try JournalReader.read(path: JournalDirectory(journalDirectory).journalPath(for: date), date: date)
        return (result.wall.seconds, journal.index.currentIDs.count, result.peakRSS)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// The batch's work without network: load the date's inputs, predict them on every core in
    /// frames of 32 players, and journal each frame's rows in one commit (fsync) — the
    /// coordinator's limit.
    private func runInProcess(storePath: String, date: GameDate,
                              journalDirectory: String) async throws -> (rows: Int, seconds: Double, computeSeconds: Double) {
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: ModelDirectory.resolve(models)))
        let clock = ContinuousClock()
        let start = clock.now
        let inputs = try FeatureStore(path: storePath).playerInputs(on: date)
        let journal = try await JournalWriter.open(directory: journalDirectory, date: date)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each core predicts frames of 32 players and journals a frame's rows in one commit
        // (as the coordinator journals a frame's answers): the best one process can do.
        let frames = stride(from: 0, to: inputs.count, by: 32).map { $0..<min(inputs.count, $0 + 32) }
        let rows = try await withThrowingTaskGroup(of: Int.self) { group in
            for core in 0..<cores {
                group.addTask {
                    var rows = 0
                    for frame in stride(from: core, to: frames.count, by: cores).map({ frames[$0] }) {
                        let groups = inputs[frame].map { engine.predict($0).rows.map(JournalEntry.prediction) }
                        for result in await journal.append(groups: groups) { _ = try result.get() }
                        rows += groups.reduce(0) { $0 + $1.count }
                    }
                    return rows
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (clock.now - start).seconds
        await journal.close()
        // For reference: the predictions alone, one core, no journal.
        let computeStart = clock.now
        let computedRows = inputs.reduce(0) { $0 + engine.predict($1).rows.count }
        precondition(computedRows == rows, "the engine is deterministic")
        return (rows, seconds, (clock.now - computeStart).seconds)
    }

    private func startWorkers(count: Int) throws -> [Process] {
        try (0..<count).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
            process.arguments = ["worker", "--listen", "127.0.0.1:0", "--slots", "\(slots)", "--node-id", "bench-\(index)",
                                 "--models", ModelDirectory.resolve(models), "--cert", "\(certs)/worker-127.0.0.1.pem",
                                 "--key", "\(certs)/worker-127.0.0.1.key", "--ca", "\(certs)/ca.pem", "--log-level", "error"]
                + (simulateLatency.map { ["--simulate-latency", $0.description] } ?? [])
            process.standardOutput = Pipe()
            try process.run()
            return process
        }
    }

    /// Reads the worker's ready line (`… listening on HOST:PORT …`).
    private static func readyEndpoint(of process: Process) throws -> Endpoint {
        guard let pipe = process.standardOutput as? Pipe else { throw CommandFailure(.noWorker, "bench worker has no stdout pipe") }
        var text = ""
        while !text.contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw CommandFailure(.noWorker, "a bench worker exited before its ready line") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let address = text.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") }) else {
            throw CommandFailure(.noWorker, "no address in a bench worker's ready line: \(text)")
        }
        return try Endpoint(parsing: String(address))
    }
}
