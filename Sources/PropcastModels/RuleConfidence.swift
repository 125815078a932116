/// The confidence of the two rule systems, moving average and zone matchup (SYSTEMS.md §3),
/// on their native 0–1 scale.
public enum RuleConfidence {
    /// start 0.5; points_std_last_10 > 6.0 → −0.15, else > 4.0 → −0.08; recent = integer part
    /// of games_played_last_7_days (3 when absent): ≥ 3 → +0.10, = 2 → +0.05, otherwise −0.10;
    /// × data_quality; clamp to [0.2, 0.8]. Computed step by step in that order, as upstream.
    public static func score(_ features: FeatureSet, system: SystemID) throws(PredictionSystemError) -> Double {
        let volatility = try features.required(.pointsStdLast10, by: system)
        // Absent in practice (not among the 25), so recent = 3 every time: upstream oddity, kept (§10).
        let gamesLast7 = features.value(.gamesPlayedLast7Days, default: FeatureSet.gamesPlayedLast7DaysFallback)
        var confidence = 0.5
        if volatility > 6.0 {
            confidence -= 0.15
        } else if volatility > 4.0 {
            confidence -= 0.08
        }
        // Python's int() truncates toward zero; comparing the truncated double avoids a trap on huge values.
        let recent = gamesLast7.rounded(.towardZero)
        if recent >= 3 {
            confidence += 0.10
        } else if recent == 2 {
            confidence += 0.05
        } else {
            confidence -= 0.10
        }
        confidence *= features.dataQuality
        return clamp(confidence, 0.2, 0.8)
    }
}
