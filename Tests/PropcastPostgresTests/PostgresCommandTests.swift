import Foundation
import PropcastPostgres
import PropcastSeason
import PropcastTestSupport
import Testing

/// `store info` and `grade` as an operator and an analyst run them, with `--store` a
/// `postgresql://` URL: the same seeded data answers the same as the SQLite file.
@Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"),
       .realProcesses)
struct PostgresCommandTests {
    /// A SQLite store and a PostgreSQL database seeded alike.
    private func seededPair() throws -> (fixture: SeededStoreFixture, database: TestDatabase) {
        let fixture = try SeededStoreFixture(lastDate: "2024-12-20")
        let database = try PostgresTestServer.makeDatabase()
        _ = try StoreSeeder(configuration: fixture.configuration).seed(path: database.url.text)
        return (fixture, database)
    }

    /// `store info` output without the lines that name the store or time the load.
    private func info(_ store: String, date: String) async throws -> [String] {
        let result = try await TestProcess.run(try PropcastExecutable.path(), ["store", "info", "--store", store, "--date", date])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { line in
            line.hasPrefix("store ") ? "store -" : String(line.replacing(/, loaded in .*$/, with: ""))
        }
    }

    @Test func storeInfoAnswersTheSameOnBothStoresAndMasksThePassword() async throws {
        let (fixture, database) = try seededPair()
        defer { database.drop(); fixture.directory.remove() }
        let fromSQLite = try await info(fixture.path, date: "2024-12-18")
        let fromPostgres = try await info(database.url.text, date: "2024-12-18")
        #expect(fromSQLite.count >= 4)
        #expect(fromSQLite.contains { $0.hasPrefix("player inputs 2024-12-18: ") && !$0.contains(": 0 players") })
        #expect(fromPostgres == fromSQLite)

        let shown = try await TestProcess.run(try PropcastExecutable.path(), ["store", "info", "--store", database.url.text])
        #expect(shown.stdout.hasPrefix("store \(database.url.masked)\n"))
        #expect(shown.stdout.contains(":***@") && !shown.stdout.contains(database.url.text),
                "the password is masked: \(shown.stdout)")
    }

    @Test func gradeGivesTheSameReportOnBothStores() async throws {
        let (fixture, database) = try seededPair()
        defer { database.drop(); fixture.directory.remove() }
        var reports: [NSDictionary] = []
        for store in [fixture.path, database.url.text] {
            let result = try await TestProcess.run(try PropcastExecutable.path(), [
                "grade", "--store", store, "--from", "2024-12-01", "--to", "2024-12-20",
                "--models", RepositoryPaths.ops("models"), "--json",
            ], timeout: .seconds(120))
            #expect(result.status == 0, "\(result.stderr)")
            var report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(report.removeValue(forKey: "seconds") != nil)  // the run's own time
            reports.append(report as NSDictionary)
        }
        #expect((reports[0]["players_predicted"] as? Int ?? 0) > 0)
        #expect((reports[0]["systems"] as? [Any])?.count == 5)
        #expect(reports[1] == reports[0])
    }
}
