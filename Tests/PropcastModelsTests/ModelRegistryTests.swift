import Foundation
import PropcastDigest
import PropcastModels
import PropcastTestSupport
import PropcastXGBoost
import Testing

/// A model directory on disk: a tiny model over the 25 v1_baseline_25 features plus a manifest.
struct ModelDirectoryFixture {
    let directory: TemporaryDirectory
    var modelPath: String { directory.file("xgboost_v1.json") }
    var manifestPath: String { directory.file("manifest.json") }

    init(featureNames: [String] = ModelRegistry.xgboostFeatureNames) throws {
        directory = try TemporaryDirectory(prefix: "registry")
        try TinyXGBoostModel.json(featureNames: featureNames).write(toFile: modelPath, atomically: true, encoding: .utf8)
        try writeManifest()
    }

    /// Writes a manifest; `edit` changes the JSON object before it is written.
    func writeManifest(_ edit: (inout [String: Any]) -> Void = { _ in }) throws {
        let model = try Data(contentsOf: URL(fileURLWithPath: modelPath))
        var manifest: [String: Any] = [
            "format": "propcast-model-manifest/1",
            "feature_version": "v1_baseline_25",
            "systems": [
                "moving_average": "moving_average_baseline_v1.0", "zone_matchup_v1": "zone_matchup_v1.0",
                "similarity_balanced_v1": "similarity_balanced_v1.0", "xgboost_v1": "xgboost_v1_test",
                "ensemble_v1": "ensemble_v2.0",
            ],
            "xgboost_model": ["file": "xgboost_v1.json", "sha256": SHA256Digest.hex(Array(model)), "training_rows": 10],
        ]
        edit(&manifest)
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))
    }
}

@Suite struct ModelRegistryTests {
    @Test func loadReportsEveryVersionAndTheLoadTime() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        let registry = try ModelRegistry.load(from: fixture.directory.path)
        #expect(registry.versions == [
            .movingAverage: "moving_average_baseline_v1.0", .zoneMatchup: "zone_matchup_v1.0",
            .similarity: "similarity_balanced_v1.0", .xgboost: "xgboost_v1_test", .ensemble: "ensemble_v2.0",
        ])
        #expect(registry.xgboost.version == "xgboost_v1_test")
        #expect(registry.loadDuration > .zero && registry.loadDuration < .seconds(10))
        var row = [Float](repeating: 0, count: 25)
        row[2] = 22  // points_avg_season ≥ 20: +5
        row[18] = 30  // paint_rate_last_10 ≥ 25: +1.5, on base 20 (TinyXGBoostModel)
        #expect(registry.xgboost.predict(row) == 26.5)
    }

    @Test func missingManifestNamesTheFile() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        try FileManager.default.removeItem(atPath: fixture.manifestPath)
        #expect(throws: ModelRegistryError(file: fixture.manifestPath, "file not found")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
    }

    @Test func missingModelFileNamesTheFile() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        try FileManager.default.removeItem(atPath: fixture.modelPath)
        let error = try #require(throws: XGBoostModelError.self) { try ModelRegistry.load(from: fixture.directory.path) }
        #expect(error.description == "model file \(fixture.modelPath): file not found (check the path and permissions)")
    }

    @Test func featureNamesInAnotherOrderAreRejectedNamingThePosition() throws {
        var names = ModelRegistry.xgboostFeatureNames
        names.swapAt(3, 4)
        let fixture = try ModelDirectoryFixture(featureNames: names)
        defer { fixture.directory.remove() }
        let error = try #require(throws: ModelRegistryError.self) { try ModelRegistry.load(from: fixture.directory.path) }
        #expect(error == ModelRegistryError(file: fixture.modelPath,
            "feature 3 is 'minutes_avg_last_10', expected 'points_std_last_10' (feature order of v1_baseline_25)"))
        #expect(error.description.hasPrefix("model directory file \(fixture.modelPath): feature 3 is"))
    }

    @Test func tooFewFeatureNamesAreRejected() throws {
        let fixture = try ModelDirectoryFixture(featureNames: Array(ModelRegistry.xgboostFeatureNames.prefix(24)))
        defer { fixture.directory.remove() }
        #expect(throws: ModelRegistryError(file: fixture.modelPath, "has 24 features, expected the 25 of v1_baseline_25")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
    }

    @Test func modelThatDoesNotMatchTheManifestHashIsRejected() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        try fixture.writeManifest { $0["xgboost_model"] = ["file": "xgboost_v1.json", "sha256": String(repeating: "0", count: 64)] }
        let error = try #require(throws: ModelRegistryError.self) { try ModelRegistry.load(from: fixture.directory.path) }
        #expect(error.file == fixture.modelPath)
        #expect(error.detail.hasSuffix("says \(String(repeating: "0", count: 64)); the model and manifest do not belong together"))
    }

    @Test func manifestWithoutASystemVersionIsRejected() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        try fixture.writeManifest { manifest in
            var systems = manifest["systems"] as? [String: String] ?? [:]
            systems["ensemble_v1"] = nil
            manifest["systems"] = systems
        }
        #expect(throws: ModelRegistryError(file: fixture.manifestPath, "systems has no version for 'ensemble_v1'")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
    }

    @Test func manifestErrorsNameTheFieldOrSayNotJSON() throws {
        let fixture = try ModelDirectoryFixture()
        defer { fixture.directory.remove() }
        try fixture.writeManifest { $0["xgboost_model"] = nil }
        #expect(throws: ModelRegistryError(file: fixture.manifestPath, "missing field 'xgboost_model'")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
        try "{ not json".write(toFile: fixture.manifestPath, atomically: true, encoding: .utf8)
        #expect(throws: ModelRegistryError(file: fixture.manifestPath, "is not valid JSON")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
        try fixture.writeManifest { $0["xgboost_model"] = ["file": "../elsewhere.json"] }
        #expect(throws: ModelRegistryError(file: fixture.manifestPath,
            "xgboost_model.file '../elsewhere.json' must be a file name inside the model directory")) {
            try ModelRegistry.load(from: fixture.directory.path)
        }
    }

    @Test func inMemoryRegistryUsesTheStandardVersionsAndTheModelsVersion() throws {
        let registry = ModelRegistry(xgboost: try TinyXGBoostModel.model(version: "mem-1"))
        #expect(registry.versions[.xgboost] == "mem-1")
        #expect(registry.versions[.ensemble] == "ensemble_v2.0")
        #expect(Set(registry.versions.keys) == Set(SystemID.all))
        #expect(registry.loadDuration == .zero)
    }
}
