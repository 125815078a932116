import Foundation
import Logging
import NIOPosix
import PropcastCoordinator
import PropcastFleet
import PropcastModels
import PropcastSeason
import PropcastTLS

/// `propcast demo`: the whole system on one machine, in one directory — a seeded SQLite
/// store (made once), dev certificates (`Ops/certs.sh`), local worker processes on free
/// 127.0.0.1 ports, one batch, the journal. Running it again reuses the store, the
/// certificates and the journal, so it has nothing new to predict.
public struct LocalDemo: Sendable {
    /// Where everything lives.
    public var directory: String
    public var workers = 2
    public var date = GameDate("2025-01-15")!
    /// Players in the seeded league.
    public var players = 450
    /// The model directory; nil: found next to the binary (``LocalInstallation``).
    public var models: String?
    /// Failure drills: the workers' `--simulate-latency`.
    public var workerLatency: String?

    public init(directory: String) {
        self.directory = directory
    }

    public var storePath: String { "\(directory)/store.sqlite" }
    public var journalDirectory: String { "\(directory)/journal" }

    /// Seeds, makes certificates, starts the workers (`announce` gets a line for each step),
    /// runs the batch until it ends or `stop` fires, and stops the workers, whatever happens.
    /// Throws ``FleetError`` (no binary, models or certificates; a worker that did not start),
    /// ``StoreError`` (seeding) or ``BatchError``.
    public func run(stop: BatchStopSignal, announce: @escaping @Sendable (String) -> Void,
                    progress: @escaping @Sendable (BatchProgress) -> Void) async throws -> (LocalInstallation, BatchReport) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let installation = try LocalInstallation.locate(models: models)
        if !FileManager.default.fileExists(atPath: storePath) {
            announce("seeding \(storePath) (\(players) players, season 2024-25)…")
            try StoreSeeder(configuration: StoreSeedConfiguration(players: players)).seed(path: storePath)
        }
        let certificates = "\(directory)/certs"
        try installation.makeCertificates(in: certificates)
        let extra = workerLatency.map { ["--simulate-latency", $0] } ?? []
        let fleet = try await LocalWorkerFleet.start(count: workers) { index in
            LocalWorkerLaunch(binary: installation.binary, models: installation.models, certificateDirectory: certificates,
                              nodeID: "demo-worker-\(index + 1)", extraArguments: extra,
                              logFile: "\(directory)/worker-\(index + 1).log")
        }
        for worker in fleet.workers { announce("worker \(worker.endpoint) started (pid \(worker.pid))") }
        do {
            let tls = try TLSContext(configuration: TLSConfiguration(
                certificatePath: "\(certificates)/coordinator.pem", privateKeyPath: "\(certificates)/coordinator.key",
                trustRootsPath: "\(certificates)/ca.pem", role: .coordinator))
            let configuration = BatchConfiguration(date: date, storePath: storePath, journalDirectory: journalDirectory,
                                                   workers: fleet.endpoints, nodeID: "demo-coordinator", readinessWait: .zero)
            let report = try await BatchRunner(configuration: configuration, tls: tls, group: MultiThreadedEventLoopGroup.singleton,
                                               logger: Logger(label: "propcast.demo"), stop: stop).run(progress: progress)
            await fleet.stop()
            return (installation, report)
        } catch {
            await fleet.stop()
            throw error
        }
    }
}
