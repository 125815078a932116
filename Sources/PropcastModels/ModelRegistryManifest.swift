import Foundation

/// The `manifest.json` of a model directory: the version every system reports and which file
/// holds the XGBoost model (with its SHA-256, so a model swapped without its manifest is caught).
///
/// ```json
/// { "format": "propcast-model-manifest/1",
///   "feature_version": "v1_baseline_25",
///   "systems": { "moving_average": "moving_average_baseline_v1.0", "zone_matchup_v1": "zone_matchup_v1.0",
///                "similarity_balanced_v1": "similarity_balanced_v1.0",
///                "xgboost_v1": "xgboost_v1_20261124_3f9a0c21b7de", "ensemble_v1": "ensemble_v2.0" },
///   "xgboost_model": { "file": "xgboost_v1.json", "sha256": "3f9a…", "trained_at": "…", "training_rows": 20000,
///                      "xgboost_version": "3.2.0", "training_source": "…" } }
/// ```
public struct ModelRegistryManifest: Codable, Sendable, Equatable {
    /// The manifest format written by Ops/train_xgboost.py.
    public static let currentFormat = "propcast-model-manifest/1"

    /// Always `currentFormat`.
    public var format: String
    /// The feature layout the models expect (`v1_baseline_25`).
    public var featureVersion: String
    /// Version string per system id (all five must be present).
    public var systems: [String: String]
    /// The XGBoost model file and its provenance.
    public var xgboostModel: XGBoostEntry

    /// Where the XGBoost model is and how it was made.
    public struct XGBoostEntry: Codable, Sendable, Equatable {
        /// File name relative to the model directory.
        public var file: String
        /// Lowercase hex SHA-256 of the file; checked at load when present.
        public var sha256: String?
        /// When the model was trained (ISO 8601), informational.
        public var trainedAt: String?
        /// Number of training rows, informational.
        public var trainingRows: Int?
        /// The xgboost package version that wrote the file, informational.
        public var xgboostVersion: String?
        /// What data trained it (store path or `synthetic`), informational.
        public var trainingSource: String?
        /// First and last game date of the training rows (`YYYY-MM-DD`); `propcast grade`
        /// warns when it grades dates inside this range.
        public var trainingFirstDate: String?
        public var trainingLastDate: String?

        /// The game dates the model was trained on, when the manifest says.
        public var trainingDates: ClosedRange<GameDate>? {
            guard let first = trainingFirstDate.flatMap({ GameDate($0) }), let last = trainingLastDate.flatMap({ GameDate($0) }),
                  first <= last else { return nil }
            return first...last
        }

        enum CodingKeys: String, CodingKey {
            case file, sha256
            case trainedAt = "trained_at"
            case trainingRows = "training_rows"
            case xgboostVersion = "xgboost_version"
            case trainingSource = "training_source"
            case trainingFirstDate = "training_first_date"
            case trainingLastDate = "training_last_date"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, systems
        case featureVersion = "feature_version"
        case xgboostModel = "xgboost_model"
    }

    /// Reads and decodes the manifest at `path`.
    /// - Throws: `ModelRegistryError` naming `path` (missing, not JSON, missing fields, wrong format).
    public static func load(contentsOf path: String) throws -> ModelRegistryManifest {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelRegistryError(file: path, "file not found")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelRegistryError(file: path, "cannot be read (\(error.localizedDescription))")
        }
        let manifest: ModelRegistryManifest
        do {
            manifest = try JSONDecoder().decode(ModelRegistryManifest.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ModelRegistryError(file: path, "missing field '\(fieldPath(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(type, context) {
            throw ModelRegistryError(file: path, "field '\(fieldPath(context.codingPath))' is not a \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw ModelRegistryError(file: path, "field '\(fieldPath(context.codingPath))' is null, expected a \(type)")
        } catch {
            throw ModelRegistryError(file: path, "is not valid JSON")
        }
        guard manifest.format == currentFormat else {
            throw ModelRegistryError(file: path, "format '\(manifest.format)' is not '\(currentFormat)'")
        }
        return manifest
    }

    private static func fieldPath(_ path: [any CodingKey]) -> String {
        path.map(\.stringValue).joined(separator: ".")
    }
}
