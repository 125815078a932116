import Foundation

/// The upstream's readiness rule (DESIGN.md §4), as a pure function of a ``Readiness``:
/// ready when production-ready players ≥ `minReadyPercent` % of expected players **or**
/// ≥ `minReadyPlayers`, **and** average quality ≥ `minAverageQuality`.
public struct ReadinessRule: Sendable, Hashable {
    /// Percent of expected players that must be production-ready (default 80).
    public var minReadyPercent: Double
    /// Absolute number of production-ready players that is enough on its own (default 100).
    public var minReadyPlayers: Int
    /// Minimum average feature quality (default 75).
    public var minAverageQuality: Double

    /// Creates a rule; defaults are the upstream's thresholds.
    public init(minReadyPercent: Double = 80, minReadyPlayers: Int = 100, minAverageQuality: Double = 75) {
        self.minReadyPercent = minReadyPercent
        self.minReadyPlayers = minReadyPlayers
        self.minAverageQuality = minAverageQuality
    }

    /// The rule's answer with the reasons a date is not ready (empty when ready).
    public struct Verdict: Sendable, Hashable {
        /// True when batch processing may start.
        public var isReady: Bool
        /// Human-readable reasons, e.g. `only 40 of 300 expected players ready (13.3 % < 80 %)`.
        public var reasons: [String]
    }

    /// Applies the rule to `readiness`.
    public func evaluate(_ readiness: Readiness) -> Verdict {
        var reasons: [String] = []
        let ready = readiness.productionReadyPlayers
        let enoughPercent = readiness.readyPercent.map { $0 >= minReadyPercent } ?? false
        if !(enoughPercent || ready >= minReadyPlayers) {
            let percent = readiness.readyPercent.map { String(format: "%.1f %%", $0) } ?? "no players expected"
            reasons.append("only \(ready) of \(readiness.expectedPlayers) expected players ready (\(percent)); "
                + "need \(String(format: "%g", minReadyPercent)) % or \(minReadyPlayers) players")
        }
        if let quality = readiness.averageQuality {
            if quality < minAverageQuality {
                reasons.append(String(format: "average feature quality %.1f < %.1f", quality, minAverageQuality))
            }
        } else {
            reasons.append("no feature rows for \(readiness.date)")
        }
        return Verdict(isReady: reasons.isEmpty, reasons: reasons)
    }
}
