import Foundation
import GRDB
import PropcastJournal
import PropcastModels
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// Whole batches with real worker processes, real mTLS on 127.0.0.1 and the real journal.
@Suite(.serialized, .realProcesses) struct BatchIntegrationTests {
    /// Checks the journal row by row: it verifies, no prediction record is current twice, and
    /// every player of the date has exactly the rows the in-process engine gives for its
    /// inputs (every system × every line, ids included), or is journaled as skipped on those
    /// inputs when validation refuses them.
    func expectCompleteJournal(_ cluster: Cluster, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let contents = try cluster.journal()
        if case .clean = contents.verdict {} else {
            Issue.record("journal does not verify: \(contents.verdict)", sourceLocation: sourceLocation)
        }
        let index = contents.index
        let store = try FeatureStore(path: cluster.store)
        let loaded = try store.loadInputs(on: GameDate(cluster.date)!)
        let inputs = loaded.inputs
        #expect(inputs.count >= 200, sourceLocation: sourceLocation)
        for player in loaded.unreadable.keys {
            #expect(index.skippedPlayers[player] != nil, "unreadable \(player) is not journaled as skipped",
                    sourceLocation: sourceLocation)
        }
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: RepositoryPaths.ops("models")))
        var rowsChecked = 0
        for input in inputs {
            let local = engine.predict(input)
            let journaled = Set((index.currentRows[input.player] ?? [:]).keys)
            if local.isSkipped {
                let fingerprint = InputFingerprint(input, line: nil)
                #expect(index.skippedPlayers[input.player]?.inputFingerprint == fingerprint,
                        "\(input.player) should be journaled as skipped", sourceLocation: sourceLocation)
                #expect(journaled.isEmpty, sourceLocation: sourceLocation)
                continue
            }
            let expected = Set(local.rows.map(\.predictionID))
            #expect(journaled == expected, "\(input.player): \(journaled.count) rows journaled, \(expected.count) expected",
                    sourceLocation: sourceLocation)
            rowsChecked += expected.count
        }
        #expect(index.currentIDs.count == rowsChecked, "the journal holds exactly the expected rows", sourceLocation: sourceLocation)
    }

    @Test func threeWorkersPredictTheWholeDateExactlyOnceAndMatchInProcessPredictions() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        for _ in 0..<3 { try await cluster.startWorker() }
        let run = try await cluster.runBatch()
        #expect(run.status == 0, "batch run failed: \(run.stderr)")
        try expectCompleteJournal(cluster)
        // Several players per request frame, and about one journal sync per frame (group commit).
        func count(_ label: String) -> Int? {
            run.stdout.split(separator: "\n").first { $0.contains(label) }
                .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
        }
        let frames = try #require(count("request frames"), "\(run.stdout)")
        let syncs = try #require(count("journal syncs"), "\(run.stdout)")
        let players = try #require(count("players predicted"), "\(run.stdout)")
        #expect(frames > 0 && frames * 4 <= players, "\(frames) frames for \(players) players")
        #expect(syncs <= frames + 4, "\(syncs) journal syncs for \(frames) frames")

        // Independent of the coordinator: the same engine in-process gives the same rows.
        let contents = try cluster.journal()
        let journaled = Dictionary(contents.predictionRows.map { ($0.predictionID, $0) }) { first, _ in first }
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: RepositoryPaths.ops("models")))
        let inputs = try FeatureStore(path: cluster.store).playerInputs(on: GameDate(SeededStore.date)!)
        var compared = 0
        var skipped = 0
        for input in inputs {
            let local = engine.predict(input)
            if local.isSkipped {
                skipped += 1
                #expect(contents.index.skippedPlayers[input.player] != nil, "\(input.player) should be journaled as skipped")
                continue
            }
            for row in local.rows {
                let remote = try #require(journaled[row.predictionID], "journal lacks \(row.systemID) \(row.player) \(String(describing: row.line))")
                #expect(remote.predictedPoints.bitPattern == row.predictedPoints.bitPattern)
                #expect(remote.confidenceScore.bitPattern == row.confidenceScore.bitPattern)
                #expect(remote.recommendation == row.recommendation)
                #expect(remote.extras == row.extras)
                compared += 1
            }
        }
        #expect(compared == journaled.count, "the journal holds exactly the in-process rows")
        #expect(skipped > 0, "the seeded date has players with invalid features, journaled as skipped")

        // Verify with the CLI, as an auditor would.
        let verify = try await TestProcess.run(cluster.binary, ["journal", "verify", "--date", SeededStore.date,
                                                                "--journal-dir", cluster.journalDirectory])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // A second run has nothing to do and writes no prediction.
        let again = try await cluster.runBatch()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try cluster.journal().predictionRows.count == contents.predictionRows.count)

        let status = try await TestProcess.run(cluster.binary, ["batch", "status", "--date", SeededStore.date,
                                                                "--store", cluster.store, "--journal-dir", cluster.journalDirectory])
        #expect(status.status == 0, "\(status.stdout)")
        #expect(status.stdout.contains("FINISHED"), "\(status.stdout)")
    }

    /// Two slow workers (so the batch is still running), a disturbance after 50 predictions,
    /// then the batch must finish with a complete, duplicate-free journal.
    func expectBatchSurvives(_ disturb: (Cluster) -> Void) async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 1, extra: ["--simulate-latency", "20ms"])
        try await cluster.startWorker(slots: 1, extra: ["--simulate-latency", "20ms"])
        let batch = try cluster.startBatch()
        try await waitForPredictions(cluster, atLeast: 50)
        disturb(cluster)
        let status = try await batch.waitForExit(timeout: .seconds(120))
        #expect(status == 0, "\(batch.stderr)")
        try expectCompleteJournal(cluster)
    }

    @Test func killedWorkerLosesNoPredictions() async throws {
        try await expectBatchSurvives { $0.workers[0].signal(SIGKILL) }
    }

    @Test func hungWorkerHasItsWorkReassigned() async throws {
        // SIGSTOP: the connection stays open but nothing answers; the stopped process is
        // killed by the cluster's cleanup.
        try await expectBatchSurvives { $0.workers[1].signal(SIGSTOP) }
    }

    @Test func killedCoordinatorResumesWithoutLossOrDuplicates() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2, extra: ["--simulate-latency", "10ms"])
        let first = try cluster.startBatch()
        try await waitForPredictions(cluster, atLeast: 100)
        first.signal(SIGKILL)
        _ = try await first.waitForExit()
        let partial = try cluster.journal().predictionRows.count
        let resumed = try await cluster.runBatch()
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try expectCompleteJournal(cluster)
        #expect(try cluster.journal().predictionRows.count > partial)
    }

    @Test func secondBatchForTheSameDateIsRefusedWhileTheFirstRuns() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2, extra: ["--simulate-latency", "10ms"])
        let first = try cluster.startBatch()
        try await waitForPredictions(cluster, atLeast: 10)
        let second = try await cluster.runBatch()
        #expect(second.status == 6)
        #expect(second.stderr.contains("already running"), "\(second.stderr)")
        #expect(try await first.waitForExit(timeout: .seconds(120)) == 0)
        try expectCompleteJournal(cluster)
    }

    @Test func unreachableWorkersAreNamedAndALaterRunCompletes() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        let failed = try await cluster.runBatch(workers: "127.0.0.1:1,127.0.0.1:2")
        #expect(failed.status == 5)
        #expect(failed.stderr.contains("127.0.0.1:1"), "\(failed.stderr)")
        #expect(failed.stderr.contains("127.0.0.1:2"), "\(failed.stderr)")
        #expect(failed.stderr.contains("no worker reachable"))
        // Said for people, not as NIO's error dump.
        #expect(failed.stderr.contains("  127.0.0.1:1: connection refused (nothing listens on 127.0.0.1:1: is the worker running?)"),
                "\(failed.stderr)")
        #expect(!failed.stderr.contains("SingleConnectionFailure"), "\(failed.stderr)")
        try await cluster.startWorker()
        let later = try await cluster.runBatch("retry")
        #expect(later.status == 0, "\(later.stderr)")
        try expectCompleteJournal(cluster)
    }

    @Test func losingEveryWorkerStopsTheBatchCleanlyAndRetryFinishesIt() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 1, extra: ["--simulate-latency", "20ms"])
        let batch = try cluster.startBatch(extra: ["--connect-grace", "2s"])
        try await waitForPredictions(cluster, atLeast: 50)
        cluster.workers[0].signal(SIGKILL)
        let status = try await batch.waitForExit(timeout: .seconds(60))
        #expect(status == 3, "coverage below 90 % → exit 3; stderr: \(batch.stderr)")
        #expect(batch.stderr.contains("batch retry"), "\(batch.stderr)")
        let partial = try cluster.journal()
        if case .clean = partial.verdict {} else { Issue.record("journal does not verify: \(partial.verdict)") }
        try await cluster.startWorker()
        let retry = try await cluster.runBatch("retry")
        #expect(retry.status == 0, "\(retry.stderr)")
        try expectCompleteJournal(cluster)
    }

    @Test func workerFromAnotherCAIsRefusedAndTheBatchRunsOnTheGoodOne() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        let foreign = try await TestCertificates.make(hosts: ["127.0.0.1"], prefix: "foreign")
        try await cluster.startWorker()
        try await cluster.startWorker(cert: foreign.workerCert("127.0.0.1"), key: foreign.workerKey("127.0.0.1"),
                                      ca: foreign.ca)
        let run = try await cluster.runBatch()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("worker problem: 127.0.0.1:\(cluster.ports[1])"), "\(run.stdout)")
        try expectCompleteJournal(cluster)
    }

    @Test func terminatedBusyWorkerFinishesItsRequestsFirst() async throws {
        let cluster = try await Cluster()
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2, extra: ["--simulate-latency", "200ms"])
        try await cluster.startWorker(slots: 2, extra: ["--simulate-latency", "5ms"])
        let batch = try cluster.startBatch()
        try await waitForPredictions(cluster, atLeast: 10)
        cluster.workers[0].signal(SIGTERM)
        #expect(try await cluster.workers[0].waitForExit(timeout: .seconds(30)) == 0)
        #expect(try await batch.waitForExit(timeout: .seconds(120)) == 0, "\(batch.stderr)")
        try expectCompleteJournal(cluster)
    }

    @Test func changedLinesArePredictedAndWithdrawnLinesSuperseded() async throws {
        let cluster = try await Cluster(privateStore: true)
        defer { cluster.stopAll() }
        try await cluster.startWorker(slots: 2)
        #expect(try await cluster.runBatch().status == 0)
        let before = try cluster.journal()
        // Move every line of two players up by 10 points: all their old lines are withdrawn.
        let changed = try StoreEdits.moveLines(storePath: cluster.store, date: SeededStore.date, players: 2, by: 10)
        let rerun = try await cluster.runBatch()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let after = try cluster.journal()
        let superseded = after.supersededRecords
        #expect(Set(superseded.compactMap(\.player).map(\.rawValue)) == Set(changed))
        let oldIDs = Set(before.predictionRows.filter { changed.contains($0.player.rawValue) }.map(\.predictionID))
        #expect(Set(superseded.flatMap(\.predictionIDs)) == oldIDs)
        // Only the changed players got new rows; everyone else was left alone.
        let newRows = after.predictionRows.dropFirst(before.predictionRows.count)
        #expect(!newRows.isEmpty)
        #expect(newRows.allSatisfy { changed.contains($0.player.rawValue) })
        let status = try await TestProcess.run(cluster.binary, ["batch", "status", "--date", SeededStore.date,
                                                                "--store", cluster.store, "--journal-dir", cluster.journalDirectory])
        #expect(status.status == 0, "\(status.stdout)")
        try expectCompleteJournal(cluster)
    }

    /// Waits until the journal holds at least `count` predictions.
    func waitForPredictions(_ cluster: Cluster, atLeast count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let contents = try? cluster.journal(), contents.predictionRows.count >= count { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestSupportError("journal did not reach \(count) predictions")
    }
}
