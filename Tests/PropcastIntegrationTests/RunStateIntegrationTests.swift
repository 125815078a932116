import Foundation
import GRDB
import PropcastJournal
import PropcastModels
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// Corrected inputs, interrupted runs and run state, with real worker and coordinator processes.
@Suite(.serialized, .realProcesses) struct RunStateIntegrationTests {
    let integration = BatchIntegrationTests()

    /// Phase 4 re-ran for two players: their rows used to stay stale forever.
    @Test func correctedInputsArePredictedAgainAndOnlyThey() async throws {
        let cluster = try await Cluster(privateStore: true)
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2)
        #expect(try await cluster.runBatch().status == 0)
        let before = try cluster.journal()
        let store = try FeatureStore(path: cluster.store, readOnly: false)
        let corrected: [String] = try await store.database.write { db in
            let players = try String.fetchAll(db, sql: """
                SELECT f.player_lookup FROM ml_feature_store_v2 f WHERE f.game_date = ? AND f.feature_quality_score >= 80
                ORDER BY f.player_lookup LIMIT 2
                """, arguments: [cluster.date])
            for player in players {
                let text = try String.fetchOne(db, sql: "SELECT features FROM ml_feature_store_v2 WHERE game_date = ? AND player_lookup = ?",
                                               arguments: [cluster.date, player]) ?? "[]"
                var values = try JSONDecoder().decode([Double].self, from: Data(text.utf8))
                values[0] += 1.5  // points_avg_last_5 corrected
                try db.execute(sql: "UPDATE ml_feature_store_v2 SET features = ? WHERE game_date = ? AND player_lookup = ?",
                               arguments: [String(decoding: try JSONEncoder().encode(values), as: UTF8.self), cluster.date, player])
            }
            return players
        }
        try store.close()
        let rerun = try await cluster.runBatch()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let after = try cluster.journal()
        let records = after.supersededRecords
        #expect(Set(records.compactMap(\.player?.rawValue)) == Set(corrected))
        #expect(records.allSatisfy { $0.reason == "inputs_changed" })
        let oldIDs = Set(before.predictionRows.filter { corrected.contains($0.player.rawValue) }.map(\.predictionID))
        #expect(Set(records.flatMap(\.predictionIDs)) == oldIDs)
        let newRows = after.predictionRows.dropFirst(before.predictionRows.count)
        #expect(Set(newRows.map(\.player.rawValue)) == Set(corrected), "unchanged players are untouched")
        try integration.expectCompleteJournal(cluster)
    }

    /// A line withdrawn and offered again used to be impossible to predict again.
    @Test func lineWithdrawnAndOfferedAgainIsPredictedAgain() async throws {
        let cluster = try await Cluster(privateStore: true)
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2)
        #expect(try await cluster.runBatch().status == 0)
        let store = try FeatureStore(path: cluster.store, readOnly: false)
        let (player, original): (String, String) = try await store.database.write { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT player_lookup, points_line_values FROM upcoming_player_game_context
                WHERE game_date = ? AND json_array_length(points_line_values) >= 2 ORDER BY player_lookup LIMIT 1
                """, arguments: [cluster.date])!
            let lines = try JSONDecoder().decode([Double].self, from: Data((row["points_line_values"] as String).utf8))
            try db.execute(sql: "UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?",
                           arguments: ["[\(lines[0])]", cluster.date, row["player_lookup"] as String])
            return (row["player_lookup"], row["points_line_values"])
        }
        #expect(try await cluster.runBatch().status == 0)
        #expect(try cluster.journal().supersededRecords.map(\.reason) == ["line_withdrawn"])
        try await store.database.write { db in
            try db.execute(sql: "UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?",
                           arguments: [original, cluster.date, player])
        }
        try store.close()
        let again = try await cluster.runBatch()
        #expect(again.status == 0, "\(again.stderr)")
        try integration.expectCompleteJournal(cluster)
        let verify = try await TestProcess.run(cluster.binary, ["journal", "verify", "--date", cluster.date,
                                                                "--journal-dir", cluster.journalDirectory])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// SIGTERM / SIGINT used to kill `batch run` at once with no summary.
    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func signalStopsTheBatchWithASummaryAndRetryFinishesIt(_ signal: Int32, _ code: Int32) async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 1, extra: ["--simulate-latency", "20ms"])
        let batch = try cluster.startBatch()
        try await integration.waitForPredictions(cluster, atLeast: 30)
        let running = try await cluster.status()
        #expect(running.stdout.contains("RUNNING (pid \(batch.pid))"), "\(running.stdout)")
        batch.signal(signal)
        #expect(try await batch.waitForExit(timeout: .seconds(30)) == code, "\(batch.stderr)")
        #expect(batch.stdout.contains("(INTERRUPTED)"), "\(batch.stdout)")
        #expect(batch.stderr.contains("resume with `propcast batch retry --date \(cluster.date)"), "\(batch.stderr)")
        let contents = try cluster.journal()
        guard case .clean = contents.verdict else { Issue.record("journal does not verify: \(contents.verdict)"); return }
        #expect(contents.index.lastBatchFinished?.record.outcome == "interrupted")
        let stopped = try await cluster.status()
        #expect(stopped.stdout.contains("INTERRUPTED"), "\(stopped.stdout)")
        #expect(try await cluster.runBatch("retry").status == 0)
        try integration.expectCompleteJournal(cluster)
        #expect(try await cluster.status().stdout.contains("FINISHED"))
    }

    /// kill -9 of the coordinator: the journal has an open batch and no lock holder.
    @Test func killedCoordinatorLeavesAnInterruptedBatch() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 1, extra: ["--simulate-latency", "20ms"])
        let batch = try cluster.startBatch()
        try await integration.waitForPredictions(cluster, atLeast: 20)
        batch.signal(SIGKILL)
        _ = try await batch.waitForExit()
        let status = try await cluster.status()
        #expect(status.stdout.contains("INTERRUPTED"), "\(status.stdout)")
        #expect(status.stdout.contains("resume with `propcast batch retry"), "\(status.stdout)")
    }
}
