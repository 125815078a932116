import PropcastModels

/// The feature layout the store writes: `v1_baseline_25` (SYSTEMS.md §1), in order.
public enum BaselineFeatures {
    /// Value of `ml_feature_store_v2.feature_version`.
    public static let version = "v1_baseline_25"

    /// The 25 feature names in vector order.
    public static let names: [String] = FeatureSet.v1BaselineNames

    /// `names` as the compact JSON array stored in every row's `feature_names`.
    public static let namesJSON: String = "[" + names.map { "\"\($0)\"" }.joined(separator: ",") + "]"
}
