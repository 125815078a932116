import Foundation
import PropcastDigest
import PropcastXGBoost

/// Every model and version a worker needs, loaded once at start-up from a model directory
/// (`manifest.json` + the XGBoost JSON model it names) and then shared, immutable, by all
/// concurrent requests without locks.
public struct ModelRegistry: Sendable {
    /// The XGBoost model behind `xgboost_v1`.
    public let xgboost: XGBoostModel
    /// The version each system reports (all of `SystemID.all`).
    public let versions: [SystemID: String]
    /// How long `load(from:)` took (zero for registries built in memory).
    public let loadDuration: Duration
    /// The game dates the XGBoost model was trained on, when the manifest says
    /// (`training_first_date` … `training_last_date`).
    public let trainingDates: ClosedRange<GameDate>?

    /// The manifest's file name inside a model directory.
    public static let manifestFileName = "manifest.json"

    /// The feature order the XGBoost model must have: the 25 features of `v1_baseline_25`.
    public static let xgboostFeatureNames: [String] = FeatureSet.v1BaselineNames

    /// The versions of the rule-based systems, which have no model file.
    public static let ruleSystemVersions: [SystemID: String] = [
        .movingAverage: "moving_average_baseline_v1.0",
        .zoneMatchup: "zone_matchup_v1.0",
        .similarity: "similarity_balanced_v1.0",
        .ensemble: "ensemble_v2.0",
    ]

    /// A registry around an already-loaded model (tests, tools). Does not check feature names.
    /// - Parameter versions: per-system versions; nil uses `ruleSystemVersions` plus `xgboost.version`.
    public init(xgboost: XGBoostModel, versions: [SystemID: String]? = nil, loadDuration: Duration = .zero,
                trainingDates: ClosedRange<GameDate>? = nil) {
        self.xgboost = xgboost
        self.trainingDates = trainingDates
        self.versions = versions ?? Self.ruleSystemVersions.merging([.xgboost: xgboost.version]) { $1 }
        self.loadDuration = loadDuration
    }

    /// Loads `directory/manifest.json` and the XGBoost model it names, checks that the model's
    /// file hash matches the manifest and its features are `xgboostFeatureNames` in order.
    /// - Throws: `ModelRegistryError` (manifest problems, hash or feature mismatch) or
    ///   `XGBoostModelError` (model file missing or malformed); both name the file at fault.
    public static func load(from directory: String) throws -> ModelRegistry {
        let clock = ContinuousClock()
        let start = clock.now
        let manifestPath = (directory as NSString).appendingPathComponent(manifestFileName)
        let manifest = try ModelRegistryManifest.load(contentsOf: manifestPath)
        let versions = try checkedVersions(manifest, manifestPath: manifestPath)

        let modelFile = manifest.xgboostModel.file
        guard !modelFile.isEmpty, !modelFile.contains("/") else {
            throw ModelRegistryError(file: manifestPath,
                "xgboost_model.file '\(modelFile)' must be a file name inside the model directory")
        }
        let modelPath = (directory as NSString).appendingPathComponent(modelFile)
        let data = try XGBoostModel.readFile(modelPath)
        if let expected = manifest.xgboostModel.sha256 {
            let actual = SHA256Digest.hex(Array(data))
            guard actual == expected.lowercased() else {
                throw ModelRegistryError(file: modelPath,
                    "SHA-256 is \(actual) but \(manifestPath) says \(expected); the model and manifest do not belong together")
            }
        }
        let model: XGBoostModel
        do {
            model = try XGBoostModel(jsonData: data, version: versions[.xgboost] ?? "")
        } catch let error as XGBoostModelError {
            throw error.attributed(toFile: modelPath)
        }
        try checkFeatureNames(model.featureNames, modelPath: modelPath)
        return ModelRegistry(xgboost: model, versions: versions, loadDuration: clock.now - start,
                             trainingDates: manifest.xgboostModel.trainingDates)
    }

    /// The manifest's versions for all five systems; fails naming the first one missing.
    private static func checkedVersions(_ manifest: ModelRegistryManifest, manifestPath: String) throws -> [SystemID: String] {
        var versions: [SystemID: String] = [:]
        for system in SystemID.all {
            guard let version = manifest.systems[system.rawValue], !version.isEmpty else {
                throw ModelRegistryError(file: manifestPath, "systems has no version for '\(system.rawValue)'")
            }
            versions[system] = version
        }
        let known = Set(SystemID.all.map(\.rawValue))
        if let unknown = manifest.systems.keys.sorted().first(where: { !known.contains($0) }) {
            throw ModelRegistryError(file: manifestPath, "systems names unknown system '\(unknown)'")
        }
        return versions
    }

    /// Requires exactly `xgboostFeatureNames`, naming the first position that differs.
    static func checkFeatureNames(_ names: [String], modelPath: String) throws {
        guard names != xgboostFeatureNames else { return }
        if let position = zip(names, xgboostFeatureNames).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            throw ModelRegistryError(file: modelPath,
                "feature \(position) is '\(names[position])', expected '\(xgboostFeatureNames[position])' (feature order of v1_baseline_25)")
        }
        throw ModelRegistryError(file: modelPath,
            "has \(names.count) features, expected the \(xgboostFeatureNames.count) of v1_baseline_25")
    }
}
