/// How a system turns its prediction into OVER / UNDER / PASS for a line, carrying the
/// unrounded numbers the upstream compares (SYSTEMS.md §3, §6, §7, §8).
public enum RecommendationRule: Sendable, Hashable {
    /// Moving average and zone matchup (§3): edge = |prediction − line| ≤ 2.0 → PASS;
    /// confidence (native 0–1 scale) ≤ 0.45 → PASS; else OVER if prediction > line, else UNDER.
    case rule(prediction: Double, confidence: Double)
    /// Similarity (§6): confidence (0–100) < 65 → PASS; prediction − line ≥ 2.0 → OVER;
    /// ≤ −2.0 → UNDER; else PASS. `prediction` is the unrounded pred_raw.
    case similarity(prediction: Double, confidence: Double)
    /// XGBoost (§7): confidence (0–100) < 60 → PASS; prediction − line ≥ 1.5 → OVER;
    /// ≤ −1.5 → UNDER; else PASS. `prediction` is the unrounded pred_raw.
    case xgboost(prediction: Double, confidence: Double)
    /// Ensemble (§8): the ensemble's final, clamped confidence (0–100, the one it reports)
    /// < 65 → PASS; |prediction − line| < 1.5 → PASS;
    /// more than half of `bases` say OVER → OVER; more than half UNDER → UNDER; otherwise
    /// OVER if prediction > line, else UNDER.
    case ensemble(prediction: Double, confidence: Double, bases: [RecommendationRule])

    /// The rule edge and confidence thresholds of §3.
    static let ruleMinimumEdge = 2.0
    static let ruleConfidenceFloor = 0.45

    /// The recommendation against `line`; always `PASS` without a line.
    public func recommendation(for line: LineValue?) -> Recommendation {
        guard let line = line?.rawValue else { return .pass }
        switch self {
        case .rule(let prediction, let confidence):
            let edge = abs(prediction - line)
            if edge <= Self.ruleMinimumEdge { return .pass }
            // 0.5 − 0.15 + 0.10 = 0.44999999999999996 ≤ 0.45 → PASS: upstream float behaviour, kept.
            if confidence <= Self.ruleConfidenceFloor { return .pass }
            return prediction > line ? .over : .under
        case .similarity(let prediction, let confidence):
            if confidence < 65 { return .pass }
            let margin = prediction - line
            if margin >= 2.0 { return .over }
            if margin <= -2.0 { return .under }
            return .pass
        case .xgboost(let prediction, let confidence):
            if confidence < 60 { return .pass }
            let margin = prediction - line
            if margin >= 1.5 { return .over }
            if margin <= -1.5 { return .under }
            return .pass
        case .ensemble(let prediction, let confidence, let bases):
            if confidence < 65 { return .pass }
            if abs(prediction - line) < 1.5 { return .pass }
            var overs = 0
            var unders = 0
            for base in bases {
                switch base.recommendation(for: LineValue(line)) {
                case .over: overs += 1
                case .under: unders += 1
                case .pass: break
                }
            }
            if overs * 2 > bases.count { return .over }
            if unders * 2 > bases.count { return .under }
            return prediction > line ? .over : .under
        }
    }
}
