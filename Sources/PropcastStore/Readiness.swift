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
