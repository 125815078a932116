import Foundation

/// The one `--models` default of every command that loads models (`worker`, `predict`,
/// `grade`, `bench engine`, `bench batch`): where `Ops/deploy.sh` installs them when that
/// directory exists, else `Ops/models` of a checkout (the current directory).
enum ModelDirectory {
    /// Where the deploy script installs the models.
    static let installed = "/usr/local/share/propcast/models"

    /// The help text of `--models`.
    static let help = "Model directory with manifest.json and the XGBoost model (default: \(installed) if it exists, else Ops/models)."

    /// `explicit` when given, else the default.
    static func resolve(_ explicit: String?) -> String {
        if let explicit { return explicit }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: installed, isDirectory: &isDirectory), isDirectory.boolValue {
            return installed
        }
        return "Ops/models"
    }
}
