import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastWire
import Synchronization
import PropcastTestSupport
import Testing

/// A system that fails on a worker leaves the player's rows missing, journals an
/// `attempt_failed` (never a skip), and is tried again; out of attempts it is `player_failed`.
@Suite(.serialized, .realProcesses) struct FailureRetryTests {
    /// Replaces `system`'s rows with a failure report.
    static func fail(_ system: SystemID, in result: inout WirePredictResult, reason: String) {
        result.predictions.removeAll { $0.systemID == system.rawValue }
        var skip = WireSystemSkip()
        skip.systemID = system.rawValue
        skip.reason = reason
        skip.failed = true
        result.systemSkips.append(skip)
    }

    @Test func systemThatFailsOnceIsRetriedAndItsRowsArrive() async throws {
        let pool = try await PoolHarness()
        let failed = Mutex(Set<String>())
        try await pool.startWorker(TamperingExecutor(honest: pool.honest) { request, result in
            // The first attempt of every player: xgboost throws on the worker.
            let first = failed.withLock { $0.insert(request.playerLookup).inserted }
            if first, !result.predictions.isEmpty { Self.fail(.xgboost, in: &result, reason: "model file unreadable") }
        })
        let report = try await pool.runBatch()
        let journaled = try pool.journaledRows()
        for (player, expected) in try pool.referenceRows() {
            #expect((journaled[player] ?? []) == expected, "\(player) has other rows than the reference")
        }
        #expect(report.statistics.incompleteAnswers > 0)
        #expect(report.coverage.failed.isEmpty && report.coverage.missing.isEmpty)
        let records = try pool.journal().index
        #expect((records.countsByType[.attemptFailed] ?? 0) == report.statistics.incompleteAnswers)
        #expect(records.skippedSystems.values.allSatisfy { $0[.xgboost] == nil }, "a failure was journaled as a skip")
        await pool.stop()
    }

    @Test func systemThatAlwaysFailsEndsAsPlayerFailedAndRetryTriesItAgain() async throws {
        let pool = try await PoolHarness()
        let victim = try #require(try pool.referenceRows().first { !$0.value.isEmpty }?.key)
        let broken = try await pool.startWorker(TamperingExecutor(honest: pool.honest) { request, result in
            if request.playerLookup == victim.rawValue { Self.fail(.zoneMatchup, in: &result, reason: "division by zero") }
        })
        let report = try await pool.runBatch(maxAttempts: 2)
        #expect(report.coverage.failed.map(\.player) == [victim.rawValue])
        #expect(report.coverage.failed.first?.reason.contains("division by zero") == true, "\(report.coverage.failed)")
        #expect(report.exitStatus == .ok, "one failed player is within the SLA")
        let index = try pool.journal().index
        #expect(index.failedPlayers[victim]?.attempts == 2)
        #expect(index.countsByType[.attemptFailed] == 2)
        // The fixed worker: `batch run` again tries only the failed player and completes it.
        for server in pool.servers where server.localAddress.port == broken { await server.stop() }
        try await pool.replaceWorkers(with: pool.honest)
        let again = try await pool.runBatch()
        #expect(again.statistics.playersPredicted == 1)
        #expect(again.coverage.failed.isEmpty)
        #expect(try pool.journaledRows()[victim] == pool.referenceRows()[victim])
        await pool.stop()
    }
}
