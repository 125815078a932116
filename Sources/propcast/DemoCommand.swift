import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastCoordinator
import PropcastModels
import PropcastStore
import PropcastTLS
import PropcastWire

/// `propcast demo`: the whole system on one machine, from an empty directory.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Seed a store, make dev certificates, start local workers, run a batch, stop the workers.",
        discussion: """
            Everything lives in --dir: the SQLite store (seeded once), a dev CA and certificates (made \
            by Ops/certs.sh), the journal. Workers are child processes of this binary on free \
            127.0.0.1 ports; they are stopped at the end, on Ctrl-C, and on any failure. Running the \
            demo again reuses the store, the certificates and the journal, so it has nothing new to \
            predict.
            """)

    @Option(help: "Working directory of the demo.")
    var dir: String = "propcast-demo"

    @Option(help: "Local worker processes to start.")
    var workers: Int = 2

    @Option(help: "Game date to run (must be in the 2024-25 season).")
    var date: String = "2025-01-15"

    @Option(help: "Players in the seeded league.")
    var players: Int = 450

    @Option(help: "Model directory (default: next to the binary's repository, or /usr/local/share/propcast/models).")
    var models: String?

    @Option(help: ArgumentHelp("Failure drills: passed to the workers as --simulate-latency.", visibility: .hidden))
    var workerLatency: DurationArgument?

    func run() async throws {
        guard let gameDate = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
        guard (1...16).contains(workers) else { throw CommandFailure(.usage, "--workers must be 1…16") }
        let directory = URL(fileURLWithPath: dir).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let resources = try DemoResources.locate(models: models)
        let store = "\(directory)/store.sqlite"
        if !FileManager.default.fileExists(atPath: store) {
            printFlushed("seeding \(store) (\(players) players, season 2024-25)…")
            do {
                _ = try StoreSeeder(configuration: StoreSeedConfiguration(players: players)).seed(path: store)
            } catch {
                throw CommandFailure(.usage, "cannot seed \(store): \(error)")
            }
        }
        let certificates = "\(directory)/certs"
        try resources.makeCertificates(in: certificates)
        let fleet = try DemoWorkers.start(count: workers, binary: resources.binary, models: resources.models,
                                          certificates: certificates, logDirectory: directory,
                                          extraArguments: workerLatency.map { ["--simulate-latency", $0.description] } ?? [])
        defer { fleet.stop() }
        for worker in fleet.workers { printFlushed("worker \(worker.endpoint) started (pid \(worker.pid))") }
        let report = try await runBatch(date: gameDate, store: store, journal: "\(directory)/journal",
                                        certificates: certificates, endpoints: fleet.workers.map(\.endpoint))
        print(report.summary)
        let me = resources.binary
        print("""

            The journal, for auditors:
              \(me) journal tail --date \(gameDate) --journal-dir \(directory)/journal -f
              \(me) journal verify --date \(gameDate) --journal-dir \(directory)/journal
              \(me) batch status --date \(gameDate) --store \(store) --journal-dir \(directory)/journal
              cut -d' ' -f2- \(directory)/journal/\(gameDate).journal | jq -c 'select(.type=="prediction")' | head
            """)
        if report.exitStatus != .ok { throw report.exitStatus.exit }
    }

    private func runBatch(date: GameDate, store: String, journal: String, certificates: String,
                          endpoints: [Endpoint]) async throws -> BatchReport {
        var logger = Logger(label: "propcast.demo")
        logger.logLevel = .warning
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificatePath: "\(certificates)/coordinator.pem", privateKeyPath: "\(certificates)/coordinator.key",
            trustRootsPath: "\(certificates)/ca.pem", role: .coordinator))
        let configuration = BatchConfiguration(date: date, storePath: store, journalDirectory: journal, workers: endpoints,
                                               nodeID: "demo-coordinator", readinessWait: .zero)
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        do {
            let report = try await BatchRunner(configuration: configuration, tls: tls,
                                               group: MultiThreadedEventLoopGroup.singleton, logger: logger)
                .run { display.show($0) }
            display.clear()
            return report
        } catch let error as BatchError {
            display.clear()
            throw CommandFailure(error.exitStatus, error.description)
        }
    }
}
