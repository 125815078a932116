/// The feature layout the store writes: `v1_baseline_25` (SYSTEMS.md §1), in order.
public enum BaselineFeatures {
    /// Value of `ml_feature_store_v2.feature_version`.
    public static let version = "v1_baseline_25"

    /// The 25 feature names in vector order.
    public static let names: [String] = [
        "points_avg_last_5", "points_avg_last_10", "points_avg_season", "points_std_last_10",
        "minutes_avg_last_10", "fatigue_score", "shot_zone_mismatch_score", "pace_score",
        "usage_spike_score", "referee_favorability_score", "look_ahead_pressure_score",
        "matchup_history_score", "momentum_score", "opponent_def_rating_last_15",
        "opponent_pace_last_15", "is_home", "days_rest", "back_to_back", "paint_rate_last_10",
        "mid_range_rate_last_10", "three_pt_rate_last_10", "assisted_rate_last_10",
        "team_pace_last_10", "team_off_rating_last_10", "usage_rate_last_10",
    ]

    /// `names` as the compact JSON array stored in every row's `feature_names`.
    public static let namesJSON: String = "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
}
