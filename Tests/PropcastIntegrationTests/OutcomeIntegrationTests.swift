import Foundation
import GRDB
import PropcastJournal
import PropcastModels
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// The outcomes an operator reads — coverage, exit codes, run state — with real worker
/// processes over mTLS, each reproducing a case that was once reported wrong.
@Suite(.serialized, .realProcesses) struct OutcomeIntegrationTests {
    let integration = BatchIntegrationTests()

    /// Seed 11, opening night 2024-10-22: 420 players, 419 of them with features below
    /// quality 70. It used to print "100.0 % coverage (420/420 players)".
    @Test func coverageCountsPredictionsNotAnswers() async throws {
        let directory = try TemporaryDirectory(prefix: "seed11")
        defer { directory.remove() }
        let store = directory.file("store.sqlite")
        let seeded = try await TestProcess.run(try PropcastExecutable.path(), [
            "store", "seed", "--store", store, "--season", "2024-25", "--players", "450", "--seed", "11",
        ], timeout: .seconds(180))
        try #require(seeded.status == 0, "\(seeded.stderr)")
        let cluster = try await Cluster(store: store, date: "2024-10-22")
        defer { cluster.stopAll() }
        try await cluster.startWorker()

        // Average quality 62.6 < 75: held, nothing written.
        let held = try await cluster.runBatch()
        #expect(held.status == 4, "\(held.stdout)\(held.stderr)")
        #expect(held.stderr.contains("average feature quality on 2024-10-22 is 62.6, below --min-quality 75"), "\(held.stderr)")
        #expect(try cluster.journal().index.recordCount == 0)

        let run = try await cluster.runBatch(extra: ["--allow-low-quality"])
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0.2% coverage (1/420 players covered)"), "\(run.stdout)")
        #expect(run.stdout.contains("players skipped (not covered)      419"), "\(run.stdout)")
        #expect(run.stdout.contains("NOTE: average feature quality 62.6 is below --min-quality 75"), "\(run.stdout)")
        #expect(run.stderr.contains("419 players lack predictions, more than 20 (--max-missing-players)"), "\(run.stderr)")
        let index = try cluster.journal().index
        let finished = try #require(index.lastBatchFinished?.record)
        #expect(finished.playersCovered == 1 && finished.playersSkipped == 419 && finished.predictions == 4)
        #expect(index.lastBatchStarted?.record.config["low_quality_allowed"] == "average quality 62.6 < 75")

        let status = try await cluster.status(["--json"])
        #expect(status.status == 3)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect((json?["coverage_pct"] as? Double).map { abs($0 - 100.0 / 420) < 1e-9 } == true, "\(status.stdout)")
        #expect(((json?["coverage"] as? [String: Any])?["skipped"] as? [Any])?.count == 419)
        #expect(json?["state"] as? String == "FINISHED")
        // The SLA thresholds are the operator's: with room for 419 missing players it holds.
        let relaxed = try await cluster.status(["--min-coverage", "0", "--max-missing-pct", "100", "--max-missing-players", "419"])
        #expect(relaxed.status == 0, "\(relaxed.stdout)")
    }

    /// An off-season date used to wait the whole --wait, exit 4 and alert.
    @Test func dateWithoutGamesIsNothingToDo() async throws {
        let cluster = try await Cluster(store: try await SeededStore.shared.path(), date: "2024-07-01")
        defer { cluster.stopAll() }
        let started = ContinuousClock.now
        for mode in ["run", "retry"] {
            let run = try await cluster.runBatch(mode, workers: "127.0.0.1:1", extra: ["--wait", "30m"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("no games scheduled on 2024-07-01"), "\(run.stdout)")
        }
        #expect(ContinuousClock.now - started < .seconds(20), "no readiness wait, no connection attempt")
        #expect(!FileManager.default.fileExists(atPath: cluster.journalPath), "nothing is journaled")
        let status = try await cluster.status()
        #expect(status.status == 0)
        #expect(status.stdout.contains("no games scheduled on 2024-07-01"), "\(status.stdout)")
    }

    /// One malformed row used to abort the date with exit 2.
    @Test func unreadableStoreRowsSkipOnlyTheirPlayers() async throws {
        let cluster = try await Cluster(privateStore: true)
        defer { cluster.stopAll() }
        let (broken, badLines) = try Self.breakTwoRows(in: cluster.store, date: cluster.date)
        try await cluster.startWorker()
        let run = try await cluster.runBatch()
        #expect(run.status == 0, "two of 227 players lacking predictions is within the SLA: \(run.stdout)\(run.stderr)")
        try integration.expectCompleteJournal(cluster)
        let index = try cluster.journal().index
        #expect(index.skippedPlayers[broken]?.reasons
                == ["ml_feature_store_v2.features of \(broken) on \(cluster.date) holds 3 numbers for 25 feature_names"])
        #expect(index.skippedPlayers[badLines]?.reasons.first?.hasPrefix(
            "upcoming_player_game_context.points_line_values of \(badLines) on \(cluster.date) is not a JSON array") == true)
        #expect(run.stdout.contains("players skipped (not covered)"), "\(run.stdout)")
        // Running again journals nothing new for them.
        let records = index.recordCount
        #expect(try await cluster.runBatch().status == 0)
        #expect(try cluster.journal().index.countsByType[.playerSkipped] == index.countsByType[.playerSkipped])
        #expect(try cluster.journal().index.recordCount == records + 2, "only batch_started and batch_finished")
    }

    /// `batch status` used to report a coverage figure for a damaged journal.
    @Test func statusOfADamagedJournalExitsSevenNamingTheLine() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker()
        #expect(try await cluster.runBatch().status == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.journalPath)))
        let lineStarts = [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        bytes[lineStarts[9] + 20] ^= 0x01  // one bit of line 10
        try Data(bytes).write(to: URL(fileURLWithPath: cluster.journalPath))
        let status = try await cluster.status()
        #expect(status.status == 7, "\(status.stdout)\(status.stderr)")
        #expect(status.stderr.contains("is damaged: line 10: CRC mismatch"), "\(status.stderr)")
        #expect(status.stdout.isEmpty, "no coverage figure for a damaged journal")
    }

    static func breakTwoRows(in path: String, date: String) throws -> (PlayerLookup, PlayerLookup) {
        let store = try FeatureStore(path: path, readOnly: false)
        return try store.database.write { db in
            let players = try String.fetchAll(db, sql: """
                SELECT player_lookup FROM upcoming_player_game_context WHERE game_date = ? ORDER BY player_lookup LIMIT 2
                """, arguments: [date])
            try db.execute(sql: "UPDATE ml_feature_store_v2 SET features = '[1, 2, 3]' WHERE game_date = ? AND player_lookup = ?",
                           arguments: [date, players[0]])
            try db.execute(sql: """
                UPDATE upcoming_player_game_context SET points_line_values = '{broken' WHERE game_date = ? AND player_lookup = ?
                """, arguments: [date, players[1]])
            return (PlayerLookup(players[0]), PlayerLookup(players[1]))
        }
    }
}
