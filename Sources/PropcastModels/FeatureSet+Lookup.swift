extension FeatureSet {
    /// Names the upstream systems read that stand for one of the 25 features (SYSTEMS.md §3).
    public static let aliases: [String: Feature] = [
        "home_away": .isHome,
        "opponent_def_rating": .opponentDefRatingLast15,
        "pct_paint": .paintRateLast10,
        "pct_mid_range": .midRangeRateLast10,
        "pct_three": .threePtRateLast10,
    ]

    /// Reads a feature by name the way the upstream systems do (SYSTEMS.md §3): the 25 names
    /// directly, the aliases through their target, `games_played_last_7_days` and
    /// `pct_free_throw` with their fallbacks (3 and 12.0) when absent. Returns nil for an absent
    /// feature without a fallback or an unknown name.
    ///
    /// The systems themselves use the resolved slots (``value(_:default:)``); this is the
    /// by-name view for callers and tests.
    public func value(named name: String) -> Double? {
        if let target = Self.aliases[name] { return self[target] }
        guard let feature = Feature.allCases.first(where: { $0.name == name }) else { return nil }
        switch feature {
        case .gamesPlayedLast7Days: return value(feature, default: Self.gamesPlayedLast7DaysFallback)
        case .pctFreeThrow: return value(feature, default: Self.pctFreeThrowFallback)
        default: return self[feature]
        }
    }
}
