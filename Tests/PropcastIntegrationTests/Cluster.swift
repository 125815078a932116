import Foundation
import PropcastJournal
import PropcastModels
import PropcastTestSupport

/// A seeded store shared by the integration tests of one test process (seeding is
/// deterministic, so sharing changes nothing but time).
actor SeededStore {
    static let shared = SeededStore()
    /// A date in mid-season with 227 of the 450 players playing.
    static let date = "2024-12-07"
    private var path: String?

    func path() async throws -> String {
        if let path { return path }
        let directory = try TemporaryDirectory(prefix: "store")
        let file = directory.file("store.sqlite")
        let result = try await TestProcess.run(try PropcastExecutable.path(), [
            "store", "seed", "--store", file, "--season", "2024-25", "--players", "450", "--seed", "42",
            "--last-date", "2024-12-08",
        ], timeout: .seconds(120))
        guard result.status == 0 else { throw TestSupportError("store seed failed: \(result.stderr)") }
        path = file
        return file
    }
}

/// Real worker processes on 127.0.0.1 with real certificates, and a coordinator binary to
/// run batches against them, all in one temporary directory.
final class Cluster: @unchecked Sendable {
    // @unchecked: used from one test task at a time; the workers array is only touched there.
    let directory: TemporaryDirectory
    let certs: TestCertificates
    let binary: String
    let store: String
    var workers: [TestProcess] = []
    var ports: [Int] = []

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
        let worker = try TestProcess(binary, [
            "worker", "--listen", "127.0.0.1:0", "--slots", "\(slots)", "--node-id", "w\(workers.count)",
            "--models", RepositoryPaths.ops("models"),
            "--cert", cert ?? certs.workerCert("127.0.0.1"), "--key", key ?? certs.workerKey("127.0.0.1"),
            "--ca", ca ?? certs.ca, "--log-level", "warning",
        ] + extra)
        let line = try await worker.waitForLine(containing: "listening on", timeout: .seconds(30))
        guard let port = line.split(separator: " ").first(where: { $0.hasPrefix("127.0.0.1:") })
            .flatMap({ Int($0.split(separator: ":")[1]) }) else {
            throw TestSupportError("no port in ready line: \(line)")
        }
        workers.append(worker)
        ports.append(port)
        return workers.count - 1
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

    func stopAll() {
        for worker in workers { worker.stop() }
    }

    deinit { stopAll() }
}

extension JournalReader.Contents {
    /// Every `superseded` record, in order.
    var supersededRecords: [JournalEntry.Superseded] {
        records.compactMap { record in
            if case .superseded(let entry) = record.entry { return entry }
            return nil
        }
    }

    /// Every prediction row in the journal, in order.
    var predictionRows: [PredictionRow] {
        records.compactMap { record in
            if case .prediction(let row) = record.entry { return row }
            return nil
        }
    }
}
