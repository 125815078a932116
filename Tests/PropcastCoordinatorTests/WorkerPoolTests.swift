import Foundation
import NIOPosix
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastStore
import PropcastTestSupport
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

    static func backfill(_ pool: PoolHarness, _ dates: [GameDate], jobs: Int) throws -> BackfillRunner {
        try BackfillRunner(template: pool.configuration(), from: dates[0], to: dates[dates.count - 1], jobs: jobs,
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
}
