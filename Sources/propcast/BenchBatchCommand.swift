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
        abstract: "Time a full game date (450 players × 5 lines × 5 systems) on local workers vs in-process.",
        discussion: """
            Seeds a store with --players players (about half play on the busiest date), gives every \
            player on that date 5 lines, starts --workers worker processes of this binary on \
            127.0.0.1, and runs `batch run` in-process against them (mTLS, fsync journal). Then runs \
            the same predictions in-process on all cores without network or journal, and prints both \
            rates and their ratio. Make certificates with: Ops/certs.sh --dir DIR 127.0.0.1
            """)

    @Option(help: "Directory made by Ops/certs.sh that has a certificate for 127.0.0.1.")
    var certs: String

    @Option(help: "Model directory.")
    var models: String = "Ops/models"

    @Option(help: "Players on the benchmark date (the busiest seeded date, topped up with copies of its players).")
    var players: Int = 450

    @Option(help: "Worker processes to start.")
    var workers: Int = 2

    @Option(help: "Slots per worker.")
    var slots: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Log the coordinator's phases.")
    var verbose = false

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("propcast-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (storePath, date, inputs) = try prepareStore(in: directory)
        let lines = inputs.reduce(0) { $0 + $1.lineValues.count }
        print("date \(date): \(inputs.count) players, \(lines) player-lines")

        let processes = try startWorkers()
        defer { for process in processes { process.terminate() } }
        let endpoints = try processes.map { try Self.readyEndpoint(of: $0) }

        var logger = Logger(label: "bench.batch")
        logger.logLevel = verbose ? .info : .error
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificatePath: "\(certs)/coordinator.pem", privateKeyPath: "\(certs)/coordinator.key",
            trustRootsPath: "\(certs)/ca.pem", role: .coordinator))
        let batch = BatchConfiguration(date: date, storePath: storePath, journalDirectory: "\(directory)/journal",
                                       workers: endpoints, nodeID: "bench", readinessWait: .zero)
        let runner = BatchRunner(configuration: batch, tls: tls, group: MultiThreadedEventLoopGroup.singleton, logger: logger)
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await runner.run()
        let batchSeconds = (clock.now - started).seconds
        let written = report.statistics.predictionsWritten
        print(String(format: "batch run: %d predictions journaled in %.3f s = %.0f predictions/s (coverage %.1f%%, p50 %.2f ms, p99 %.2f ms)",
                     written, batchSeconds, Double(written) / batchSeconds, report.coverage.coveragePercent,
                     Double(report.statistics.latencyMicros.valueAtPercentile(50)) / 1000,
                     Double(report.statistics.latencyMicros.valueAtPercentile(99)) / 1000))

        let inProcess = try await runInProcess(storePath: storePath, date: date, journalDirectory: "\(directory)/journal-local")
        let inProcessRate = Double(inProcess.rows) / inProcess.seconds
        print(String(format: "in-process, same work without network (load + %d cores predicting + fsync'd journal): "
                     + "%d predictions in %.3f s = %.0f predictions/s (the predictions alone, one core: %.3f s)",
                     ProcessInfo.processInfo.activeProcessorCount, inProcess.rows, inProcess.seconds, inProcessRate,
                     inProcess.computeSeconds))
        print(String(format: "ratio batch/in-process: %.1f%%", Double(written) / batchSeconds / inProcessRate * 100))
    }

    /// The batch's work without network: load the date's inputs, predict them on every core,
    /// and journal each player's rows (group commit, fsync) — the coordinator's limit.
    private func runInProcess(storePath: String, date: GameDate,
                              journalDirectory: String) async throws -> (rows: Int, seconds: Double, computeSeconds: Double) {
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: models))
        let clock = ContinuousClock()
        let start = clock.now
        let inputs = try FeatureStore(path: storePath).playerInputs(on: date)
        let journal = try await JournalWriter.open(directory: journalDirectory, date: date)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let rows = try await withThrowingTaskGroup(of: Int.self) { group in
            for core in 0..<cores {
                group.addTask {
                    var rows = 0
                    for index in stride(from: core, to: inputs.count, by: cores) {
                        let answer = engine.predict(inputs[index])
                        _ = try await journal.appendPredictions(answer.rows)
                        rows += answer.rows.count
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

    /// Seeds the largest league the generator makes, picks its busiest date, tops it up to
    /// `players` with renamed copies of its players (features and history), and gives every
    /// player on it 5 lines.
    private func prepareStore(in directory: String) throws -> (String, GameDate, [PlayerInput]) {
        let path = "\(directory)/store.sqlite"
        _ = try StoreSeeder(configuration: StoreSeedConfiguration(players: 600, lastDate: GameDate("2024-12-15")))
            .seed(path: path)
        let store = try FeatureStore(path: path, readOnly: false)
        let date: GameDate = try store.database.write { db in
            let busiest = try String.fetchOne(db, sql: """
                SELECT game_date FROM upcoming_player_game_context WHERE game_date >= '2024-11-15'
                GROUP BY game_date ORDER BY COUNT(*) DESC, game_date LIMIT 1
                """) ?? "2024-12-10"
            var copy = 2
            while try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?",
                                   arguments: [busiest]) ?? 0 < players {
                let missing = players - (try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?
                    """, arguments: [busiest]) ?? 0)
                let originals = try String.fetchAll(db, sql: """
                    SELECT player_lookup FROM upcoming_player_game_context WHERE game_date = ? AND player_lookup NOT LIKE '%#%'
                    ORDER BY player_lookup LIMIT ?
                    """, arguments: [busiest, missing])
                for original in originals {
                    let renamed = "\(original)#\(copy)"
                    for table in ["ml_feature_store_v2", "upcoming_player_game_context", "player_game_summary"] {
                        let columns = try db.columns(in: table).map(\.name)
                        let select = columns.map { $0 == "player_lookup" ? "?" : $0 }.joined(separator: ", ")
                        let dateFilter = table == "player_game_summary" ? "" : "AND game_date = ?"
                        let arguments: StatementArguments = table == "player_game_summary"
                            ? [renamed, original] : [renamed, original, busiest]
                        try db.execute(sql: """
                            INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(select) FROM \(table)
                            WHERE player_lookup = ? \(dateFilter)
                            """, arguments: arguments)
                    }
                }
                copy += 1
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT player_lookup, points_line_values FROM upcoming_player_game_context WHERE game_date = ?
                """, arguments: [busiest])
            for row in rows {
                let existing = try JSONDecoder().decode([Double].self, from: Data((row["points_line_values"] as String).utf8))
                let center = existing.first ?? 15.5
                let five = (-2...2).map { center + Double($0) }
                try db.execute(sql: """
                    UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?
                    """, arguments: [String(decoding: try JSONEncoder().encode(five), as: UTF8.self), busiest,
                                     row["player_lookup"] as String])
            }
            return GameDate(busiest) ?? GameDate("2024-12-10")!
        }
        return (path, date, try store.playerInputs(on: date))
    }

    private func startWorkers() throws -> [Process] {
        try (0..<workers).map { index in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
            process.arguments = ["worker", "--listen", "127.0.0.1:0", "--slots", "\(slots)", "--node-id", "bench-\(index)",
                                 "--models", models, "--cert", "\(certs)/worker-127.0.0.1.pem",
                                 "--key", "\(certs)/worker-127.0.0.1.key", "--ca", "\(certs)/ca.pem", "--log-level", "error"]
            process.standardOutput = Pipe()
            try process.run()
            return process
        }
    }

    /// Reads the worker's ready line (`… listening on HOST:PORT …`).
    private static func readyEndpoint(of process: Process) throws -> Endpoint {
        guard let pipe = process.standardOutput as? Pipe else { throw ValidationError("worker has no stdout pipe") }
        var text = ""
        while !text.contains("\n") {
            let chunk = pipe.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw ValidationError("worker exited before its ready line") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let address = text.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") }) else {
            throw ValidationError("no address in worker ready line: \(text)")
        }
        return try Endpoint(parsing: String(address))
    }
}
