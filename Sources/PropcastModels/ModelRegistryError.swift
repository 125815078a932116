import PropcastXGBoost
/// Why the model directory could not be loaded: which file, what is wrong, what to do.
/// (Problems inside the XGBoost model file itself are `XGBoostModelError`s, which also name the file.)
public struct ModelRegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file at fault (the manifest or a model file), as a path.
    public let file: String
    /// What is wrong with it.
    public let detail: String

    /// Creates an error about `file`.
    public init(file: String, _ detail: String) {
        self.file = file
        self.detail = detail
    }

    /// e.g. `model directory file /srv/models/manifest.json: no version for system 'ensemble_v1' (…)`.
    public var description: String {
        "model directory file \(file): \(detail) (fix the file or redeploy the model directory written by Ops/train_xgboost.py)"
    }
}
