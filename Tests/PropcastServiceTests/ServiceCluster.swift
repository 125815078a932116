import Foundation
import GRDB
import PropcastFleet
import PropcastJournal
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastTestSupport
import Testing

/// A small seeded store, real worker processes on 127.0.0.1 and a real `propcast coordinator`
/// process against them; HTTP through `curl` (an independent client).
final class ServiceCluster: @unchecked Sendable {
    // @unchecked: used from one test task at a time.
    let fixture: SeededStoreFixture
    let certs: TestCertificates
    let binary: String
    let fleet = LocalWorkerFleet()
    var coordinator: TestProcess?
    /// The coordinator's API, `http://127.0.0.1:PORT`.
    var base = ""
    /// Dates with games in the store, in order.
    let dates: [GameDate]

    /// The store the coordinator reads: the fixture's SQLite file, or a PostgreSQL database
    /// seeded with the same rows.
    var store: String { postgres?.url.text ?? fixture.path }
    let postgres: TestDatabase?
    var journalDirectory: String { fixture.directory.file("journal") }

    /// - Parameter postgres: also seed this database with the fixture's rows, and run on it.
    init(postgres: TestDatabase? = nil) async throws {
        fixture = try SeededStoreFixture(players: 40, teams: 4, lastDate: "2024-11-20")
        self.postgres = postgres
        if let postgres {
            try StoreSeeder(configuration: fixture.configuration).seed(path: postgres.url.text)
        }
        certs = try await TestCertificates.make(hosts: ["127.0.0.1", "api:127.0.0.1"])
        binary = try PropcastExecutable.path()
        dates = try fixture.store.gameDates()
    }

    /// Starts `count` workers (`extra` flags, e.g. a simulated latency), logging at `logLevel`.
    func startWorkers(_ count: Int, extra: [String] = [], logLevel: String = "warning") async throws {
        for index in 0..<count {
            _ = try await fleet.start(LocalWorkerLaunch(
                binary: binary, models: RepositoryPaths.ops("models"), certificate: certs.workerCert("127.0.0.1"),
                privateKey: certs.workerKey("127.0.0.1"), trustRoots: certs.ca, nodeID: "w\(index)", slots: 2,
                logLevel: logLevel, extraArguments: extra, logFile: fixture.directory.file("worker-\(index).log")))
        }
    }

    /// Lines of every worker's log that contain `text`.
    func workerLogLines(containing text: String) throws -> Int {
        try (0..<fleet.endpoints.count).reduce(0) { total, index in
            let log = try String(contentsOfFile: fixture.directory.file("worker-\(index).log"), encoding: .utf8)
            return total + log.split(separator: "\n").filter { $0.contains(text) }.count
        }
    }

    var workerList: String { fleet.endpoints.map(\.description).joined(separator: ",") }

    var tlsArguments: [String] { ["--cert", certs.coordinatorCert, "--key", certs.coordinatorKey, "--ca", certs.ca] }

    /// Starts the coordinator service watching `date` all day and waits for its ready line.
    func startCoordinator(date: GameDate, http: String = "127.0.0.1:0", workers: String? = nil,
                          extra: [String] = []) async throws {
        let process = try TestProcess(binary, [
            "coordinator", "--date", "\(date)", "--watch-from", "00:00", "--watch-until", "24:00", "--http", http,
            "--store", store, "--journal-dir", journalDirectory, "--workers", workers ?? workerList,
            "--request-timeout", "10s", "--connect-grace", "5s", "--probe-interval", "1s",
        ] + tlsArguments + extra)
        coordinator = process
        let line = try await process.waitForLine(containing: "listening on http", timeout: .seconds(30))
        guard let range = line.range(of: "listening on "), let end = line[range.upperBound...].firstIndex(of: " ") else {
            throw TestSupportError("no address in the ready line: \(line)")
        }
        base = String(line[range.upperBound..<end])
    }

    /// `curl -X method base+path`: the status code and the body (the body through a file: a
    /// large answer must not race the child's exit on a pipe).
    func request(_ method: String, _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        let output = fixture.directory.file("curl-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(atPath: output) }
        var arguments = ["-s", "-S", "--max-time", "30", "-X", method, "-o", output, "-w", "%{http_code}", base + path]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data", body] }
        let result = try await TestProcess.run("/usr/bin/curl", arguments)
        guard result.status == 0, let status = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSupportError("curl \(method) \(path) failed (\(result.status)): \(result.stdout) \(result.stderr)")
        }
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// The JSON object of a `GET`.
    func json(_ path: String) async throws -> [String: Any] {
        let answer = try await request("GET", path)
        guard answer.status == 200, let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] else {
            throw TestSupportError("GET \(path) → \(answer.status): \(answer.body)")
        }
        return object
    }

    /// The service's runs of `date`, newest first.
    func runs(of date: GameDate) async throws -> [[String: Any]] {
        try await json("/api/v1/dates/\(date)/runs")["runs"] as? [[String: Any]] ?? []
    }

    /// Waits until `condition` holds (checked every 50 ms), or fails naming `what`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError("timed out waiting until \(what); coordinator stderr:\n\(coordinator?.stderr.suffix(3000) ?? "")")
    }

    /// Waits until the newest run of `date` has ended; it.
    func waitForRunToEnd(_ date: GameDate, count: Int = 1) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        try await waitUntil("\(count) run(s) of \(date) ended") {
            let runs = try await runs(of: date)
            guard runs.count >= count, let newest = runs.first, newest["state"] as? String == "ended" else { return false }
            last = newest
            return true
        }
        return last
    }

    /// Writes to the store as the feature-store writer would.
    func edit(_ change: (Database) throws -> Void) throws {
        let queue = try DatabaseQueue(path: store)
        try queue.write(change)
        try queue.close()
    }

    /// The date's journal, verified.
    func journal(_ date: GameDate) throws -> JournalReader.Contents {
        try JournalReader.read(path: JournalDirectory(journalDirectory).journalPath(for: date), date: date)
    }

    func stop() {
        coordinator?.stop()
        fleet.terminate(signal: SIGKILL)
    }

    deinit { stop() }
}

/// The suites that start real coordinator, worker and browser processes, one test at a time
/// (each starts several processes; side by side they would measure the machine, not the service).
@Suite(.serialized, .realProcesses) struct ServiceProcessTests {}
