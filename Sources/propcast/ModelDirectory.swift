import Foundation
import PropcastModels

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

    /// The registry of `explicit` or the default directory; exit 2 naming the directory and the problem.
    static func loadRegistry(_ explicit: String?) throws -> ModelRegistry {
        let directory = resolve(explicit)
        do {
            return try ModelRegistry.load(from: directory)
        } catch {
            let hint = explicit == nil ? " (pass --models DIR, or run from the repository root)" : ""
            throw CommandFailure(.usage, "cannot load the models in \(directory): \(error)\(hint)")
        }
    }
}
