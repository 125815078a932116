import Foundation
import PropcastFleet
import PropcastJournal
import PropcastModels
import PropcastTestSupport

/// Real worker processes on 127.0.0.1 with real certificates, and a coordinator binary to
/// run batches against them, all in one temporary directory.
final class Cluster: @unchecked Sendable {
    // @unchecked: used from one test task at a time; the workers array is only touched there.
    let directory: TemporaryDirectory
    let certs: TestCertificates
    let binary: String
    let store: String
    /// The worker processes, started with the same fleet the demo and `bench batch` use.
    let fleet = LocalWorkerFleet()
    var workers: [LocalWorker] { fleet.workers }
    var ports: [Int] { fleet.endpoints.map(\.port) }

    var journalDirectory: String { directory.file("journal") }
    var journalPath: String { "\(journalDirectory)/\(date).journal" }

    /// The date batches run for.
    let date: String

    /// - Parameters:
    ///   - privateStore: copy the shared store, for tests that change it.
    ///   - store: use this store (and `date`) instead of the shared one.
    init(privateStore: Bool = false, store custom: String? = nil, date: String = SeededStore.date) async throws {
        directory = try TemporaryDirectory(prefix: "cluster")
        certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        binary = try PropcastExecutable.path()
        self.date = date
        if let custom {
            store = custom
        } else if privateStore {
            let shared = try await SeededStore.shared.path()
            store = directory.file("store.sqlite")
            try FileManager.default.copyItem(atPath: shared, toPath: store)
        } else {
            store = try await SeededStore.shared.path()
        }
    }

    /// Starts a worker and waits for its ready line; returns its index.
    @discardableResult
    func startWorker(slots: Int = 2, extra: [String] = [], cert: String? = nil, key: String? = nil,
                     ca: String? = nil) async throws -> Int {
        let index = workers.count
        try await fleet.start(LocalWorkerLaunch(
            binary: binary, models: RepositoryPaths.ops("models"), certificate: cert ?? certs.workerCert("127.0.0.1"),
            privateKey: key ?? certs.workerKey("127.0.0.1"), trustRoots: ca ?? certs.ca, nodeID: "w\(index)",
            slots: slots, extraArguments: extra, logFile: directory.file("worker-\(index).log")))
        return index
    }

    var workerList: String { ports.map { "127.0.0.1:\($0)" }.joined(separator: ",") }

    /// Starts `propcast batch <mode>` against the running workers.
    func startBatch(_ mode: String = "run", workers: String? = nil, extra: [String] = []) throws -> TestProcess {
        try TestProcess(binary, [
            "batch", mode, "--date", date, "--store", store, "--journal-dir", journalDirectory,
            "--workers", workers ?? workerList, "--cert", certs.coordinatorCert, "--key", certs.coordinatorKey,
            "--ca", certs.ca, "--wait", "0s", "--request-timeout", "5s", "--heartbeat", "500ms",
            "--connect-grace", "5s", "--log-level", "warning",
        ] + extra)
    }

    /// Runs a batch to completion; returns (status, stdout, stderr).
    func runBatch(_ mode: String = "run", workers: String? = nil, extra: [String] = [],
                  timeout: Duration = .seconds(120)) async throws -> (status: Int32, stdout: String, stderr: String) {
        let batch = try startBatch(mode, workers: workers, extra: extra)
        let status = try await batch.waitForExit(timeout: timeout)
        return (status, batch.stdout, batch.stderr)
    }

    /// The journal's records (verifying it on the way).
    func journal() throws -> JournalReader.Contents {
        try JournalReader.read(path: journalPath, date: GameDate(date)!)
    }

    /// `propcast batch status` for the cluster's date (extra arguments appended).
    func status(_ extra: [String] = []) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await TestProcess.run(binary, ["batch", "status", "--date", date, "--store", store,
                                                        "--journal-dir", journalDirectory] + extra)
        return (result.status, result.stdout, result.stderr)
    }

    /// SIGKILL to every worker (also frozen ones); nothing waits here.
    func stopAll() {
        fleet.terminate(signal: SIGKILL)
    }

    deinit { stopAll() }
}
