import Foundation
import PropcastModels

/// The result of `propcast grade`: per-system MAE and hit rate over a date range.
public struct GradeReport: Sendable, Codable {
    /// First date of the graded range.
    public var from: GameDate
    /// Last date of the graded range.
    public var to: GameDate
    /// Game dates graded.
    public var dates: Int
    public var playersPredicted: Int
    /// Players the input validation skipped.
    public var playersSkipped: Int
    /// Wall time of the run.
    public var seconds: Double
    /// One line per system.
    public var systems: [SystemLine]

    /// One system's numbers, with the derived MAE and hit rate spelled out for readers.
    public struct SystemLine: Sendable, Codable {
        public var systemID: SystemID
        public var gradedPlayerGames: Int
        public var mae: Double?
        public var calls: Int
        public var hits: Int
        public var hitRate: Double?
        public var pushes: Int
        public var passes: Int
        public var ungradedRows: Int

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
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// A fixed-width table.
    public func table() -> String {
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
