import ArgumentParser
import Foundation
import PropcastConsole
import PropcastCoordinator
import PropcastDemo
import PropcastFleet
import PropcastModels
import PropcastStore

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
        var demo = LocalDemo(directory: URL(fileURLWithPath: dir).standardizedFileURL.path)
        (demo.workers, demo.date, demo.players) = (workers, gameDate, players)
        (demo.models, demo.workerLatency) = (models, workerLatency?.description)
        // Ctrl-C or SIGTERM stops the batch cleanly; the workers are stopped after it.
        let trap = StopSignalTrap()
        defer { trap.remove() }
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        let (installation, report): (LocalInstallation, BatchReport)
        do {
            (installation, report) = try await demo.run(stop: trap.signal, announce: printFlushed) { display.show($0) }
            display.finish()
        } catch let error as FleetError {
            throw CommandFailure(.usage, error.description)
        } catch let error as BatchError {
            display.finish()
            throw CommandFailure(error.exitStatus, error.description)
        } catch let error as StoreError {
            throw CommandFailure(.usage, "cannot seed \(demo.storePath): \(error)")
        }
        print(report.summary)
        if let signal = await trap.signal.stopReason {
            throw CommandFailure(ExitStatus(stoppedBy: signal), "demo stopped by \(signal); workers stopped")
        }
        let (me, journal) = (installation.binary, demo.journalDirectory)
        print("""

            The journal, for auditors:
              \(me) journal tail --date \(gameDate) --journal-dir \(journal) -f
              \(me) journal verify --date \(gameDate) --journal-dir \(journal)
              \(me) batch status --date \(gameDate) --store \(demo.storePath) --journal-dir \(journal)
              cut -d' ' -f2- \(journal)/\(gameDate).journal | jq -c 'select(.type=="prediction")' | head
            """)
        if report.exitStatus != .ok { throw report.exitStatus.exit }
    }
}
