import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastTestSupport
import Testing

extension ServiceProcessTests {
    /// The coordinator service on a PostgreSQL store: `NOTIFY propcast_store_ready, 'DATE'`
    /// starts the date at once, and `--export-postgres` keeps `player_prop_predictions` current.
    @Suite(.enabled(if: PostgresTestServer.isAvailable, "needs Ops/postgres-test-cluster.sh (always started by .ci/run)"))
    struct PostgresServiceTests {
        private func notify(_ url: PostgresURL, _ payload: String) throws {
            try PostgresConnection(url: url).execute("NOTIFY propcast_store_ready, '\(payload)'", operation: "notifying")
        }

        @Test func aNotificationStartsTheDateAndTheRunIsExported() async throws {
            let database = try PostgresTestServer.makeDatabase()
            defer { database.drop() }
            let cluster = try await ServiceCluster(postgres: database)
            defer { cluster.stop() }
            try await cluster.startWorkers(1)
            let date = cluster.dates[cluster.dates.count - 1]
            try await cluster.startCoordinator(date: cluster.dates[0], extra: [
                "--poll-interval", "1h", "--export-postgres", database.url.text, "--log-level", "info",
            ])
            let coordinator = try #require(cluster.coordinator)
            try await coordinator.waitUntil("the LISTEN is in place") { _, log in
                String(decoding: log, as: UTF8.self).contains("listening for store notifications")
            }
            try notify(database.url, "not-a-date")
            try notify(database.url, "\(date)")
            let run = try await cluster.waitForRunToEnd(date)
            #expect(run["trigger"] as? String == "notify")
            #expect(run["outcome"] as? String == "finished")
            #expect(coordinator.stderr.contains("ignored a store notification: the payload is not a YYYY-MM-DD date"))

            // The table follows the journal: every current prediction, active.
            let journal = try cluster.journal(date)
            let expected = Set(journal.index.currentIDs.map(\.description))
            #expect(expected.count > 100)
            var exported: Set<String> = []
            try await cluster.waitUntil("the run of \(date) is exported") {
                let rows = try PostgresConnection(url: database.url).query(
                    "SELECT prediction_id FROM player_prop_predictions WHERE game_date = $1::date AND is_active",
                    ["\(date)"], operation: "reading the table")
                exported = Set((0..<rows.rowCount).map { rows.text($0, 0) })
                return exported.count >= expected.count
            }
            #expect(exported == expected)

            // A duplicate notification starts nothing.
            try notify(database.url, "\(date)")
            try await coordinator.waitUntil("the duplicate is answered") { _, log in
                String(decoding: log, as: UTF8.self).contains("answer=already complete")
            }
            #expect(try await cluster.runs(of: date).count == 1)
        }
    }
}
