import Foundation
import PropcastFleet
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastTestSupport
import Testing

/// The same seeded data in SQLite and on PostgreSQL gives the same journal for a date through
/// real `batch run` processes and a real worker: every record's bytes identical apart from the
/// envelope (seq, prev, ts and the CRC over them), which records the order and time answers came.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"),
       .realProcesses)
struct PostgresJournalAgreementTests {
    /// A journal's records without their envelope, sorted.
    private func records(_ path: String) throws -> [String] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return try lines.map { line in
            let text = String(line)
            guard let type = text.range(of: ",\"type\":") else { throw TestSupportError("no type in \(text.prefix(80))") }
            return String(text[type.upperBound...])
        }.sorted()
    }

    @Test func sqliteAndPostgresStoresGiveTheSameJournal() async throws {
        let database = try PostgresTestServer.makeDatabase()
        defer { database.drop() }
        let directory = try TemporaryDirectory(prefix: "pg-agree")
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let sqlite = try await SeededStore.shared.path()
        let seed = try await TestProcess.run(binary, [
            "store", "seed", "--store", database.url.text, "--season", "2024-25", "--players", "450", "--seed", "42",
            "--last-date", "2024-12-08",
        ], timeout: .seconds(180))
        #expect(seed.status == 0, "\(seed.stderr)")
        let certs = try await TestCertificates.make(hosts: ["127.0.0.1"])
        let fleet = LocalWorkerFleet()
        defer { fleet.terminate(signal: SIGKILL) }
        try await fleet.start(LocalWorkerLaunch(
            binary: binary, models: RepositoryPaths.ops("models"), certificate: certs.workerCert("127.0.0.1"),
            privateKey: certs.workerKey("127.0.0.1"), trustRoots: certs.ca, nodeID: "w0", slots: 2,
            extraArguments: [], logFile: directory.file("worker.log")))
        var journals: [String] = []
        for (name, store) in [("sqlite", sqlite), ("postgres", database.url.text)] {
            let journalDirectory = directory.file("journal-\(name)")
            let run = try await TestProcess.run(binary, [
                "batch", "run", "--date", SeededStore.date, "--store", store, "--journal-dir", journalDirectory,
                "--workers", fleet.endpoints.map(\.description).joined(separator: ","), "--cert", certs.coordinatorCert,
                "--key", certs.coordinatorKey, "--ca", certs.ca, "--wait", "0s", "--log-level", "warning",
            ], timeout: .seconds(180))
            #expect(run.status == 0, "\(name): \(run.stderr)")
            journals.append("\(journalDirectory)/\(SeededStore.date).journal")
        }
        let fromSQLite = try records(journals[0]), fromPostgres = try records(journals[1])
        #expect(fromSQLite.count > 2_000)
        #expect(fromSQLite.filter { $0.hasPrefix("\"prediction\"") }.count > 2_000)
        let onlySQLite = Set(fromSQLite).subtracting(fromPostgres), onlyPostgres = Set(fromPostgres).subtracting(fromSQLite)
        #expect(fromPostgres.count == fromSQLite.count)
        #expect(onlySQLite.isEmpty && onlyPostgres.isEmpty,
                Comment(rawValue: "\(onlySQLite.count) records only from SQLite, e.g. \(onlySQLite.sorted().first?.prefix(400) ?? ""); "
                + "\(onlyPostgres.count) only from PostgreSQL, e.g. \(onlyPostgres.sorted().first?.prefix(400) ?? "")"))
    }
}
