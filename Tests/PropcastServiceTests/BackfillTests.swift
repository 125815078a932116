import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import Testing

extension ServiceProcessTests {
    /// `batch backfill`: one process over a range of dates, killed mid-way and resumed.
    @Suite struct BackfillTests {
        @Test func aBackfillKilledMidwayResumesWithNothingLostAndNothingDuplicated() async throws {
            let cluster = try await ServiceCluster()
            defer { cluster.stop() }
            try await cluster.startWorkers(2, extra: ["--simulate-latency", "20ms"], logLevel: "info")
            // From the second week: the season's first dates fail the quality gate (exit 4) by design.
            let dates = Array(cluster.dates.dropFirst(7))
            let arguments = ["batch", "backfill", "--from", "\(dates[0])", "--to", "\(dates[dates.count - 1])", "--jobs", "2",
                             "--store", cluster.store, "--journal-dir", cluster.journalDirectory, "--workers", cluster.workerList,
                             "--min-ready-players", "1"] + cluster.tlsArguments
            let first = try TestProcess(cluster.binary, arguments)
            // Kill it once a few dates have ended (others are mid-way).
            try await first.waitUntil(timeout: .seconds(120), "three dates settled") { out, _ in
                String(decoding: out, as: UTF8.self).split(separator: "\n").count >= 3
            }
            first.signal(SIGKILL)
            _ = try await first.waitForExit()
            let done = first.stdout.split(separator: "\n").count
            #expect(done < dates.count, "the backfill ended before it was killed")

            let second = try TestProcess(cluster.binary, arguments)
            let status = try await second.waitForExit(timeout: .seconds(300))
            #expect(status == 0 || status == 3, "\(second.stderr)")
            let lines = second.stdout.split(separator: "\n")
            #expect(lines.filter { $0.contains("complete already, skipped") }.count >= 3)
            #expect(lines.last?.contains("\(dates.count) dates with games") == true, "\(second.stdout)")
            // One set of worker connections for all the dates of a run: one session per worker.
            #expect(lines.last?.contains("; 2 worker connections;") == true, "\(second.stdout)")
            let sessions = try cluster.workerLogLines(containing: "session established")
            #expect(sessions == 4, "two runs, two workers: \(sessions) sessions")
            for date in dates {
                let pending = try PendingWork(date: date, storePath: cluster.store, journalDirectory: cluster.journalDirectory)
                #expect(pending.isComplete, "\(date) left \(pending.playersToPredict) players")
                let rows = try cluster.journal(date).predictionRows
                #expect(!rows.isEmpty)
                #expect(Set(rows.map(\.predictionID)).count == rows.count, "duplicates in \(date)")
            }
            // A third run finds nothing to do.
            let third = try await TestProcess.run(cluster.binary, arguments)
            #expect(third.stdout.components(separatedBy: "complete already, skipped").count - 1 == dates.count, "\(third.stdout)")
            #expect(third.stdout.contains("; 0 worker connections;"), "nothing to run, nobody connected: \(third.stdout)")
        }
    }
}
