import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastPostgres
import PropcastSeason
import PropcastStore

/// `propcast bench postgres`: on a PostgreSQL server, (1) loading the busiest date's inputs
/// (features and recent games) against the same rows in SQLite, in one run; (2) exporting a full
/// date's journal into `player_prop_predictions` through COPY, in rows per second.
public struct PostgresBenchmark: Sendable {
    /// An empty database with the store schema applied (the benchmark seeds it).
    public var url: PostgresURL
    /// Players in the seeded season (900 give about 450 on the busiest dates).
    public var players = 900
    /// The date loaded is the one with the number of players closest to this.
    public var targetPlayers = 450
    /// Last date seeded (a short season keeps seeding quick).
    public var lastDate = GameDate("2024-12-31")!
    /// Players and lines of the exported date (× 5 systems rows).
    public var exportPlayers = 450
    public var exportLines = 5
    /// Runs of each measurement (medians are reported).
    public var runs = 7

    public init(url: PostgresURL) {
        self.url = url
    }

    /// Runs the measurements; `report` gets each line as it is known. Throws ``BenchError``,
    /// ``StoreError``, `PostgresError` or ``JournalError``.
    public func run(report: @Sendable (String) -> Void) async throws {
        let scratch = try BenchDirectory(keep: nil)
        defer { scratch.remove() }
        let configuration = StoreSeedConfiguration(season: "2024-25", players: players, teams: 30, seed: 42, lastDate: lastDate)
        let file = "\(scratch.path)/store.sqlite"
        try StoreSeeder(configuration: configuration).seed(path: file)
        let seeded = ContinuousClock.now
        try StoreSeeder(configuration: configuration).seed(path: url.text)
        report(String(format: "seeded %d players to %@ (PostgreSQL, COPY) in %.2f s", players, "\(lastDate)",
                      (ContinuousClock.now - seeded).seconds))
        try measureLoading(sqlite: try FeatureStore(path: file), postgres: try FeatureStore(path: url.text), report: report)
        try await measureExport(in: scratch.path, report: report)
    }

    private func measureLoading(sqlite: FeatureStore, postgres: FeatureStore, report: (String) -> Void) throws {
        let sizes = try sqlite.gameDates().map { (date: $0, players: try sqlite.readiness(on: $0).playersWithFeatures) }
        guard let date = sizes.min(by: { abs($0.players - targetPlayers) < abs($1.players - targetPlayers) })?.date else {
            throw BenchError("the seeded store has no dates")
        }
        var times: [String: [Double]] = [:]
        var loaded: [String: FeatureStore.LoadedInputs] = [:]
        for _ in 0..<runs {
            for (name, store) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
                let start = ContinuousClock.now
                loaded[name] = try store.loadInputs(on: date)
                times[name, default: []].append((ContinuousClock.now - start).seconds * 1000)
            }
        }
        guard let fromSQLite = loaded["SQLite"], fromSQLite.inputs == loaded["PostgreSQL"]?.inputs else {
            throw BenchError("SQLite and PostgreSQL loaded different inputs for \(date): they must agree")
        }
        let games = fromSQLite.inputs.map(\.recentGames.count).reduce(0, +)
        let sqliteMedian = BenchFigures.median(times["SQLite"] ?? []), postgresMedian = BenchFigures.median(times["PostgreSQL"] ?? [])
        report(String(format: "load %@ (%d players, %d recent games), median of %d: SQLite %.1f ms, PostgreSQL %.1f ms "
                      + "(%.2f× SQLite's time)", "\(date)", fromSQLite.inputs.count, games, runs, sqliteMedian,
                      postgresMedian, postgresMedian / sqliteMedian))
    }

    private func measureExport(in directory: String, report: (String) -> Void) async throws {
        let date = GameDate("2025-02-01")!
        let rows = JournalBenchmark.syntheticRows(date: date, players: exportPlayers, lines: exportLines)
        let journals = "\(directory)/journal"
        let writer = try await JournalWriter.open(directory: journals, date: date)
        _ = try await writer.appendPredictions(rows)
        await writer.close()
        let connection = try PostgresConnection(url: url)
        let exporter = PostgresExport(directory: JournalDirectory(journals), url: url)
        var first: [Double] = [], over: [Double] = [], reading: [Double] = []
        for _ in 0..<runs {
            reading.append(try Self.seconds {
                _ = try JournalReader.read(path: JournalDirectory(journals).journalPath(for: date), date: date, keepRecords: false)
            })
            try connection.withSession { try PostgresPredictionTable.createIfNeeded($0) }
            try connection.execute("""
                DELETE FROM player_prop_predictions WHERE game_date = '\(date)';
                DELETE FROM propcast_export_progress WHERE game_date = '\(date)'
                """, operation: "emptying the benchmark date")
            var done: [PostgresExport.DateExport] = []
            first.append(try Self.seconds { done = try exporter.run(dates: [date]) })
            guard done.first?.summary.inserted == rows.count else {
                throw BenchError("the export inserted \(done.first?.summary.inserted ?? 0) rows, not \(rows.count)")
            }
            try connection.execute("DELETE FROM propcast_export_progress WHERE game_date = '\(date)'",
                                   operation: "forgetting the export of the benchmark date")
            over.append(try Self.seconds { done = try exporter.run(dates: [date]) })
            guard let summary = done.first?.summary, summary.inserted == 0, summary.updated == 0 else {
                throw BenchError("exporting over the same rows changed some: \(done.first.map { "\($0.summary)" } ?? "-")")
            }
        }
        let median = BenchFigures.median(first), merged = BenchFigures.median(over), read = BenchFigures.median(reading)
        report(String(format: "export a full date (%d rows, the date's first export: journal read and verified while its rows "
                      + "stream through COPY, one transaction), median of %d: %.3f s = %.0f rows/s", rows.count, runs, median,
                      Double(rows.count) / median))
        report(String(format: "  reading and verifying that journal alone: %.3f s; exporting it again over its rows "
                      + "(progress row deleted: staging COPY and merge, nothing changes): %.3f s = %.0f rows/s",
                      read, merged, Double(rows.count) / merged))
    }

    private static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).seconds
    }
}
