import ArgumentParser
import Foundation
import Logging
import NIOPosix
import PropcastConsole
import PropcastCoordinator
import PropcastFleet
import PropcastModels
import PropcastSeason
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

    @Option(help: "Working directory of the demo.") var dir: String = "propcast-demo"
    @Option(help: "Local worker processes to start.") var workers: Int = 2
    @Option(help: "Game date to run (must be in the 2024-25 season).") var date: String = "2025-01-15"
    @Option(help: "Players in the seeded league.") var players: Int = 450
    @Option(help: "Model directory (default: next to the binary's repository, or /usr/local/share/propcast/models).")
    var models: String?

    @Option(help: ArgumentHelp("Failure drills: passed to the workers as --simulate-latency.", visibility: .hidden))
    var workerLatency: DurationArgument?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let gameDate = GameDate(date) else { throw CommandFailure(.usage, "--date '\(date)' is not YYYY-MM-DD") }
        guard (1...16).contains(workers) else { throw CommandFailure(.usage, "--workers must be 1…16") }
        let directory = URL(fileURLWithPath: dir).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Ctrl-C or SIGTERM from here on stops the batch cleanly; the workers are stopped after it.
        let trap = StopSignalTrap()
        defer { trap.remove() }
        let installation: LocalInstallation
        let fleet: LocalWorkerFleet
        let certificates = "\(directory)/certs"
        let store = "\(directory)/store.sqlite"
        do {
            installation = try LocalInstallation.locate(models: models)
            try seedStoreIfMissing(store)
            try installation.makeCertificates(in: certificates)
            let extra = workerLatency.map { ["--simulate-latency", $0.description] } ?? []
            fleet = try await LocalWorkerFleet.start(count: workers) { index in
                LocalWorkerLaunch(binary: installation.binary, models: installation.models,
                                  certificateDirectory: certificates, nodeID: "demo-worker-\(index + 1)",
                                  extraArguments: extra, logFile: "\(directory)/worker-\(index + 1).log")
            }
        } catch let error as FleetError {
            throw CommandFailure(.usage, error.description)
        }
        for worker in fleet.workers { printFlushed("worker \(worker.endpoint) started (pid \(worker.pid))") }
        let report: BatchReport
        do {
            report = try await runBatch(date: gameDate, store: store, journal: "\(directory)/journal",
                                        certificates: certificates, endpoints: fleet.endpoints, stop: trap.signal)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
        print(report.summary)
        if let signal = await trap.signal.stopReason {
            throw CommandFailure(ExitStatus(stoppedBy: signal), "demo stopped by \(signal); workers stopped")
        }
        let me = installation.binary
        print("""

            The journal, for auditors:
              \(me) journal tail --date \(gameDate) --journal-dir \(directory)/journal -f
              \(me) journal verify --date \(gameDate) --journal-dir \(directory)/journal
              \(me) batch status --date \(gameDate) --store \(store) --journal-dir \(directory)/journal
              cut -d' ' -f2- \(directory)/journal/\(gameDate).journal | jq -c 'select(.type=="prediction")' | head
            """)
        if report.exitStatus != .ok { throw report.exitStatus.exit }
    }

    /// Seeds the store once (later runs reuse it).
    private func seedStoreIfMissing(_ store: String) throws {
        guard !FileManager.default.fileExists(atPath: store) else { return }
        printFlushed("seeding \(store) (\(players) players, season 2024-25)…")
        do {
            try StoreSeeder(configuration: StoreSeedConfiguration(players: players)).seed(path: store)
        } catch {
            throw CommandFailure(.usage, "cannot seed \(store): \(error)")
        }
    }

    private func runBatch(date: GameDate, store: String, journal: String, certificates: String,
                          endpoints: [Endpoint], stop: BatchStopSignal) async throws -> BatchReport {
        let logger = Logger(label: "propcast.demo")
        let tls = try TLSContext(configuration: TLSConfiguration(
            certificatePath: "\(certificates)/coordinator.pem", privateKeyPath: "\(certificates)/coordinator.key",
            trustRootsPath: "\(certificates)/ca.pem", role: .coordinator))
        let configuration = BatchConfiguration(date: date, storePath: store, journalDirectory: journal, workers: endpoints,
                                               nodeID: "demo-coordinator", readinessWait: .zero)
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        do {
            let report = try await BatchRunner(configuration: configuration, tls: tls,
                                               group: MultiThreadedEventLoopGroup.singleton, logger: logger, stop: stop)
                .run { display.show($0) }
            display.finish()
            return report
        } catch let error as BatchError {
            display.finish()
            throw CommandFailure(error.exitStatus, error.description)
        }
    }
}
