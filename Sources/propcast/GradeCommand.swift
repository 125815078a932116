import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastStore

/// `propcast grade`: run the prediction engine in-process over past dates of a store and
/// score each system against the actual points.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Predict past dates in-process and report each system's MAE and OVER/UNDER hit rate."
    )

    @Option(help: "Feature store file (SQLite).")
    var store: String

    @Option(help: "First game date to grade (YYYY-MM-DD).")
    var from: String

    @Option(help: "Last game date to grade (YYYY-MM-DD).")
    var to: String

    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir"))
    var models: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        guard let first = GameDate(from), let last = GameDate(to), first <= last else {
            Self.printError("--from '\(from)' and --to '\(to)' must be YYYY-MM-DD dates with from ≤ to")
            throw ExitStatus.usage.exit
        }
        let featureStore: FeatureStore
        let engine: PredictionEngine
        do {
            featureStore = try FeatureStore(path: store)
            engine = PredictionEngine(registry: try ModelRegistry.load(from: ModelDirectory.resolve(models)))
        } catch {
            Self.printError("\(error)")
            throw ExitStatus.usage.exit
        }
        let dates = try featureStore.gameDates().filter { (first...last).contains($0) }
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: DateGrade.self) { group in
            var pending = dates[...]
            var results: [DateGrade] = []
            // Keep one date per core in flight; each date's predictions are graded and dropped.
            for _ in 0..<max(ProcessInfo.processInfo.activeProcessorCount, 1) {
                guard let date = pending.popFirst() else { break }
                group.addTask { try Self.grade(date, store: featureStore, engine: engine) }
            }
            while let result = try await group.next() {
                results.append(result)
                if let date = pending.popFirst() {
                    group.addTask { try Self.grade(date, store: featureStore, engine: engine) }
                }
            }
            return results
        }
        let report = Report(from: first, to: last, dates: results.count,
                                 playersPredicted: results.map(\.predicted).reduce(0, +),
                                 playersSkipped: results.map(\.skipped).reduce(0, +),
                                 seconds: Self.seconds(ContinuousClock.now - started),
                                 summaries: Grading.merge(results.sorted { $0.date < $1.date }.map(\.summaries)))
        print(json ? try report.json() : report.table())
    }

    private struct DateGrade: Sendable {
        var date: GameDate
        var predicted: Int
        var skipped: Int
        var summaries: [GradingSummary]
    }

    private static func grade(_ date: GameDate, store: FeatureStore, engine: PredictionEngine) throws -> DateGrade {
        let inputs = try store.playerInputs(on: date)
        let actuals = try store.actualPoints(from: date, to: date)
        var rows: [PredictionRow] = []
        var skipped = 0
        for input in inputs {
            let predictions = engine.predict(input)
            if predictions.isSkipped { skipped += 1 }
            rows.append(contentsOf: predictions.rows)
        }
        return DateGrade(date: date, predicted: inputs.count - skipped, skipped: skipped,
                         summaries: Grading.grade(rows, actuals: actuals))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data("propcast grade: \(message)\n".utf8))
    }
}

extension GradeCommand {
    /// The result of `propcast grade`: per-system MAE and hit rate over a date range.
    struct Report: Sendable, Codable {
        var from: GameDate
        var to: GameDate
        var dates: Int
        var playersPredicted: Int
        var playersSkipped: Int
        var seconds: Double
        var systems: [SystemLine]

        /// One system's numbers, with the derived MAE and hit rate spelled out for readers.
        struct SystemLine: Sendable, Codable {
            var systemID: SystemID
            var gradedPlayerGames: Int
            var mae: Double?
            var calls: Int
            var hits: Int
            var hitRate: Double?
            var pushes: Int
            var passes: Int
            var ungradedRows: Int

            enum CodingKeys: String, CodingKey {
                case systemID = "system_id", gradedPlayerGames = "graded_player_games", mae, calls, hits
                case hitRate = "hit_rate", pushes, passes, ungradedRows = "ungraded_rows"
            }
        }

        init(from: GameDate, to: GameDate, dates: Int, playersPredicted: Int, playersSkipped: Int, seconds: Double,
             summaries: [GradingSummary]) {
            self.from = from
            self.to = to
            self.dates = dates
            self.playersPredicted = playersPredicted
            self.playersSkipped = playersSkipped
            self.seconds = seconds
            systems = summaries.map {
                SystemLine(systemID: $0.systemID, gradedPlayerGames: $0.gradedPlayerGames, mae: $0.meanAbsoluteError,
                           calls: $0.calls, hits: $0.hits, hitRate: $0.hitRate, pushes: $0.pushes, passes: $0.passes,
                           ungradedRows: $0.ungradedRows)
            }
        }

        enum CodingKeys: String, CodingKey {
            case from, to, dates, playersPredicted = "players_predicted", playersSkipped = "players_skipped"
            case seconds, systems
        }

        /// Pretty, key-sorted JSON.
        func json() throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        }

        /// A fixed-width table.
        func table() -> String {
            var lines = [
                "graded \(from) … \(to): \(dates) dates, \(playersPredicted) players predicted, "
                    + "\(playersSkipped) skipped by validation (\(String(format: "%.1f", seconds)) s)",
                "system                   player-games     MAE   calls    hits  hit rate  pushes  passes",
            ]
            for line in systems {
                let mae = line.mae.map { String(format: "%7.2f", $0) } ?? "      -"
                let rate = line.hitRate.map { String(format: "%7.1f %%", $0 * 100) } ?? "        -"
                lines.append(line.systemID.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: " %12d ", line.gradedPlayerGames) + mae
                    + String(format: " %7d %7d ", line.calls, line.hits) + rate
                    + String(format: " %7d %7d", line.pushes, line.passes))
            }
            return lines.joined(separator: "\n")
        }
    }
}
