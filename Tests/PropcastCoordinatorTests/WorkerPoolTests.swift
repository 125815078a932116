import Foundation
import NIOPosix
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastStore
import PropcastTestSupport
import PropcastWire
import PropcastWorker
import Synchronization
import Testing

/// A backfill's dates over one set of connections (``WorkerPool``), against real worker
/// servers over real mutual TLS: every date gets exactly the reference rows, each worker is
/// connected once, and dates side by side never meet BUSY — which they did with a connection
/// each, as the worker's slots are worker-wide.
@Suite(.serialized, .realProcesses) struct WorkerPoolTests {
    /// The harness store's last `count` dates with games.
    static func lastDates(_ pool: PoolHarness, _ count: Int) throws -> [GameDate] {
        Array(try FeatureStore(path: pool.storePath).gameDates().filter { $0 <= pool.date }.suffix(count))
    }

    static func backfill(_ pool: PoolHarness, _ dates: [GameDate], jobs: Int,
                         requestTimeout: Duration = .seconds(10)) throws -> BackfillRunner {
        try BackfillRunner(template: pool.configuration(requestTimeout: requestTimeout), from: dates[0], to: dates[dates.count - 1], jobs: jobs,
                           tls: try pool.coordinatorTLS(), group: MultiThreadedEventLoopGroup.singleton,
                           logger: pool.quietLogger)
    }

    static func expectReferenceRows(_ pool: PoolHarness, _ dates: [GameDate]) throws {
        for date in dates {
            let journaled = try pool.journaledRows(date)
            for (player, expected) in try pool.referenceRows(date) {
                #expect((journaled[player] ?? []) == expected, "\(date): \(player) has other rows than the reference")
            }
            if case .clean = try pool.journal(date).verdict {} else { Issue.record("\(date): journal does not verify") }
        }
    }

    /// The date ran to its end (its SLA is the store's business).
    static func finished(_ result: BackfillDateResult) -> Bool {
        if case .ran(let report) = result.outcome { return report.outcome == "finished" }
        return false
    }

    static func busyRejections(_ results: [BackfillDateResult]) -> Int {
        results.reduce(0) { total, result in
            if case .ran(let report) = result.outcome { return total + report.statistics.busyRejections }
            return total
        }
    }

    @Test func datesSideBySideShareOneConnectionPerWorkerAndNeverMeetBusy() async throws {
        let pool = try await PoolHarness()
        let slow = TamperingExecutor(honest: pool.honest) { _, _ in usleep(1_000) }
        let first = try await pool.startWorker(slow, slots: 1)
        let second = try await pool.startWorker(slow, slots: 1)
        let dates = try Self.lastDates(pool, 4)
        let runner = try Self.backfill(pool, dates, jobs: 3)
        let results = await runner.run()
        #expect(results.map(\.date) == dates)
        #expect(results.allSatisfy(Self.finished), "\(results.map(\.line))")
        try Self.expectReferenceRows(pool, dates)
        #expect(await runner.pool.sessionsEstablished == ["127.0.0.1:\(first)": 1, "127.0.0.1:\(second)": 1])
        #expect(Self.busyRejections(results) == 0)
        await pool.stop()
    }

    /// The reproduction: the same dates side by side with a connection per date each.
    @Test func withAConnectionPerDateTheWorkerWideSlotsAnswerBusy() async throws {
        let pool = try await PoolHarness()
        let slow = TamperingExecutor(honest: pool.honest) { _, _ in usleep(1_000) }
        try await pool.startWorker(slow, slots: 1)
        let dates = try Self.lastDates(pool, 3)
        let tls = try pool.coordinatorTLS()
        let reports = try await withThrowingTaskGroup(of: BatchReport.self) { tasks in
            for date in dates {
                tasks.addTask {
                    try await BatchRunner(configuration: pool.configuration(for: date), tls: tls,
                                          group: MultiThreadedEventLoopGroup.singleton, logger: pool.quietLogger).run()
                }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.reduce(0) { $0 + $1.statistics.busyRejections } > 0)
        try Self.expectReferenceRows(pool, dates)
        await pool.stop()
    }

    @Test func aWorkerOneDateRefusesIsRefusedForTheRestAndTheHonestOneDoesAll() async throws {
        let pool = try await PoolHarness()
        let liar = try await pool.startWorker(TamperingExecutor(honest: pool.honest) {
            AnswerRefusalTests.tell(.absurdConfidence, $0, &$1)
        })
        let honest = try await pool.startWorker(TamperingExecutor(honest: pool.honest) { _, _ in usleep(1_000) }, slots: 1)
        let dates = try Self.lastDates(pool, 3)
        let runner = try Self.backfill(pool, dates, jobs: 1)
        let results = await runner.run()
        #expect(results.allSatisfy(Self.finished), "\(results.map(\.line))")
        try Self.expectReferenceRows(pool, dates)
        let sessions = await runner.pool.sessionsEstablished
        #expect(sessions["127.0.0.1:\(liar)"] == 1, "the refused worker is not connected again: \(sessions)")
        #expect(sessions["127.0.0.1:\(honest)"] == 1)
        // Only the date that met the lie counted invalid answers; the later ones never used the liar.
        let invalid = results.map { result -> Int in
            if case .ran(let report) = result.outcome { return report.statistics.invalidAnswers }
            return -1
        }
        #expect(invalid[0] >= 1 && invalid.dropFirst().allSatisfy { $0 == 0 }, "invalid answers by date: \(invalid)")
        await pool.stop()
    }

    /// Holds back every answer asked for in the first second after its first request, until
    /// that second is over (suspended tasks, not blocked threads); honest after that.
    struct HangsAtFirst: PredictionExecutor {
        final class Start: Sendable { let first = Mutex<ContinuousClock.Instant?>(nil) }
        let honest: EnginePredictionExecutor
        let start = Start()
        var modelVersions: [WireModelVersion] { honest.modelVersions }

        func execute(_ request: WirePredictRequest) async -> Envelope {
            let first = start.first.withLock { first -> ContinuousClock.Instant in
                let instant = first ?? .now
                first = instant
                return instant
            }
            if ContinuousClock.now < first + .seconds(1) { try? await Task.sleep(until: first + .seconds(1)) }
            return await honest.execute(request)
        }
    }

    @Test func aWorkerADateFindsHungIsConnectedAgainNotRefused() async throws {
        let pool = try await PoolHarness()
        let hanging = try await pool.startWorker(HangsAtFirst(honest: pool.honest))
        // A slow honest worker keeps the first date running past the hung worker's deadline.
        try await pool.startWorker(DelayedPredictionExecutor(pool.honest, delay: .milliseconds(400)))
        let dates = try Self.lastDates(pool, 6)
        // Hung after 2 × 300 ms without an answer: its connection is closed and made again.
        let runner = try Self.backfill(pool, dates, jobs: 1, requestTimeout: .milliseconds(300))
        let results = await runner.run()
        #expect(results.allSatisfy(Self.finished), "\(results.map(\.line))")
        try Self.expectReferenceRows(pool, dates)
        let sessions = await runner.pool.sessionsEstablished
        #expect((sessions["127.0.0.1:\(hanging)"] ?? 0) >= 2, "the hung worker was connected again: \(sessions)")
        #expect(await runner.pool.refused.isEmpty)
        // And the last date used it again.
        guard case .ran(let last)? = results.last?.outcome else { Issue.record("the last date did not run"); return }
        #expect(last.statistics.workersConnected.contains("127.0.0.1:\(hanging)"), "\(last.statistics.workersConnected)")
        await pool.stop()
    }
}
