import Foundation
import PropcastModels

/// How complete the feature store is for one game date (DESIGN.md §4).
public struct Readiness: Sendable, Hashable, Codable {
    /// The date measured.
    public var date: GameDate
    /// Players in `upcoming_player_game_context` for the date.
    public var expectedPlayers: Int
    /// Players with a feature row for the date.
    public var playersWithFeatures: Int
    /// Players whose feature row is production-ready.
    public var productionReadyPlayers: Int
    /// Mean `feature_quality_score` over all feature rows of the date; nil when there are none.
    public var averageQuality: Double?

    /// Creates a measurement.
    public init(date: GameDate, expectedPlayers: Int, playersWithFeatures: Int, productionReadyPlayers: Int,
                averageQuality: Double?) {
        self.date = date
        self.expectedPlayers = expectedPlayers
        self.playersWithFeatures = playersWithFeatures
        self.productionReadyPlayers = productionReadyPlayers
        self.averageQuality = averageQuality
    }

    /// True when nothing is scheduled on the date (no upcoming games, no feature rows): an
    /// All-Star break or the off-season, with nothing to predict.
    public var hasNoGames: Bool { expectedPlayers == 0 && playersWithFeatures == 0 }

    /// Production-ready players as a percentage of expected players; nil when none are expected.
    public var readyPercent: Double? {
        expectedPlayers == 0 ? nil : 100 * Double(productionReadyPlayers) / Double(expectedPlayers)
    }
}

extension Readiness {
    /// The counts and the verdict of `rule`, for `propcast store info --date`.
    public func text(rule: ReadinessRule) -> String {
        let verdict = rule.evaluate(self)
        let quality = averageQuality.map { String(format: "%.1f", $0) } ?? "-"
        return "readiness \(date): expected \(expectedPlayers), with features \(playersWithFeatures), "
            + "production-ready \(productionReadyPlayers), average quality \(quality)\n  "
            + (verdict.isReady ? "READY" : "NOT READY: " + verdict.reasons.joined(separator: "; "))
    }
}

/// Counts a date's feature rows into a ``Readiness``, summing quality in the order given (by
/// player), so SQLite and PostgreSQL stores give the same average to the last bit.
struct ReadinessTally {
    private var rows = 0
    private var ready = 0
    private var qualitySum = 0.0
    private var qualityCount = 0

    /// Adds one feature row (a NULL quality is left out of the average, as SQL's AVG does).
    mutating func add(quality: Double?, isProductionReady: Bool) {
        rows += 1
        if isProductionReady { ready += 1 }
        if let quality {
            qualitySum += quality
            qualityCount += 1
        }
    }

    func readiness(of date: GameDate, expectedPlayers: Int) -> Readiness {
        Readiness(date: date, expectedPlayers: expectedPlayers, playersWithFeatures: rows, productionReadyPlayers: ready,
                  averageQuality: qualityCount == 0 ? nil : qualitySum / Double(qualityCount))
    }
}

