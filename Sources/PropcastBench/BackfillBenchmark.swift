import Foundation
import PropcastFleet
import PropcastJournal
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastWire

/// `propcast bench backfill`: the seeded season through `propcast batch backfill` (one process,
/// `jobs` dates at a time) against a loop of `propcast batch run`, one process per date, on the
/// same local workers — both as a user runs them, each into fresh journals, `runs` times; medians
/// and their ratio. The two must journal the same predictions (checked).
public struct BackfillBenchmark: Sendable {
    /// The binary, models and `certs.sh` of this installation.
    public var installation: LocalInstallation
    /// A directory made by `Ops/certs.sh` with a certificate for 127.0.0.1.
    public var certs: String
    /// Local workers, and slots per worker.
    public var workers = 2
    public var slots = ProcessInfo.processInfo.activeProcessorCount
    /// `--jobs` of the backfill.
    public var jobs = 4
    /// Runs of each (medians are reported).
    public var runs = 3
    /// Keep the store and journals here (nil: a temporary directory, removed at the end).
    public var keep: String?

    public init(installation: LocalInstallation, certs: String) {
        self.installation = installation
        self.certs = certs
    }

    /// Runs the measurements; `report` gets each line as it is known.
    /// Throws ``BenchError``, ``FleetError`` or ``StoreError``.
    public func run(report: @Sendable (String) -> Void) async throws {
        let scratch = try BenchDirectory(keep: keep)
        defer { scratch.remove() }
        let directory = scratch.path
        let storePath = "\(directory)/store.sqlite"
        try? FileManager.default.removeItem(atPath: storePath)
        let info = try StoreSeeder(configuration: StoreSeedConfiguration()).seed(path: storePath)
        let dates = try FeatureStore(path: storePath).gameDates()
        guard let first = dates.first, let last = dates.last else { throw BenchError("the seeded store has no dates") }
        report("season \(first)…\(last): \(dates.count) dates, \(info.players) players; \(workers) workers × \(slots) slots, "
               + "\(runs) runs each, medians; \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let fleet = try await LocalWorkerFleet.start(count: workers) { index in
            LocalWorkerLaunch(binary: installation.binary, models: installation.models, certificateDirectory: certs,
                              nodeID: "bench-\(index)", slots: slots, logLevel: "error")
        }
        defer { fleet.terminate(signal: SIGKILL) }
        let common = ["--store", storePath, "--workers", fleet.endpoints.map(\.description).joined(separator: ","),
                      "--cert", "\(certs)/coordinator.pem", "--key", "\(certs)/coordinator.key", "--ca", "\(certs)/ca.pem",
                      "--log-level", "error", "--min-coverage", "0", "--max-missing-pct", "100",
                      "--max-missing-players", "1000000"]
        var backfills: [Double] = [], loops: [Double] = []
        for run in 0..<runs {
            let backfillJournals = "\(directory)/backfill-\(run)"
            let backfill = try MeasuredProcess.run(installation.binary, [
                "batch", "backfill", "--from", "\(first)", "--to", "\(last)", "--jobs", "\(jobs)",
                "--journal-dir", backfillJournals,
            ] + common, outputPath: "\(directory)/backfill.out")
            try Self.expectDone(backfill.status, "batch backfill", backfill.output)
            backfills.append(backfill.wall.seconds)

            let loopJournals = "\(directory)/loop-\(run)"
            let start = ContinuousClock.now
            for date in dates {
                let one = try MeasuredProcess.run(installation.binary, [
                    "batch", "run", "--date", "\(date)", "--wait", "0s", "--journal-dir", loopJournals,
                ] + common, outputPath: "\(directory)/loop.out")
                try Self.expectDone(one.status, "batch run --date \(date)", one.output)
            }
            loops.append((ContinuousClock.now - start).seconds)
            let (backfilled, looped) = (try predictions(in: backfillJournals, dates), try predictions(in: loopJournals, dates))
            guard backfilled == looped else {
                throw BenchError("backfill journaled \(backfilled) predictions, the loop \(looped): they must agree")
            }
            report(String(format: "run %d: backfill --jobs %d %.2f s, loop of %d `batch run` %.2f s (%d predictions each)",
                          run + 1, jobs, backfills.last ?? 0, dates.count, loops.last ?? 0, backfilled))
        }
        let backfill = BenchFigures.median(backfills), loop = BenchFigures.median(loops)
        report(String(format: "season backfill: %.2f s median (runs %@), looping batch run: %.2f s median; "
                      + "backfill takes %.0f%% of the loop's time (%.1f× faster)", backfill,
                      backfills.map { String(format: "%.2f", $0) }.joined(separator: ", "), loop,
                      backfill / loop * 100, loop / backfill))
        await fleet.stop()
    }

    /// 0, 3 (a date below the SLA) and 4 (the season's first dates are not ready or below the
    /// quality gate) are what the season gives; anything else is a failure.
    private static func expectDone(_ status: Int32, _ what: String, _ output: String) throws {
        guard [0, 3, 4].contains(status) else { throw BenchError("\(what) exited \(status):\n\(output)") }
    }

    private func predictions(in directory: String, _ dates: [GameDate]) throws -> Int {
        try dates.reduce(0) { total, date in
            let path = JournalDirectory(directory).journalPath(for: date)
            guard FileManager.default.fileExists(atPath: path) else { return total }
            return total + (try JournalReader.read(path: path, date: date, keepRecords: false).index.currentIDs.count)
        }
    }
}
