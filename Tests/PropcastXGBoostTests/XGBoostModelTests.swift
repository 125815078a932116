import Foundation
import PropcastXGBoost
import PropcastTestSupport
import Testing
import PropcastDigest

/// A hand-written two-tree model in XGBoost's JSON layout (as xgboost 3.2 writes it), whose
/// outputs are computed by hand in the tests. Tree 0: `a < 1.5` (missing → left) ? 1.0 :
/// (`b < 0` (missing → right) ? -2.0 : 3.0). Tree 1: `b < 10` (missing → right) ? 0.25 : -0.5.
struct TinyModel {
    var featureNames = ["a", "b"]
    var baseScore = "[5E-1]"
    var objective = "reg:squarederror"
    var booster = "gbtree"
    var defaultLeft0 = "[1, 0, 0, 0, 0]"
    var tree0Right = "[2, -1, 4, -1, -1]"
    var tree0Left = "[1, -1, 3, -1, -1]"
    var tree0Indices = "[0, 0, 1, 0, 0]"
    var tree0Conditions = "[1.5, 1.0, 0.0, -2.0, 3.0]"
    var tree0SplitType = "[0, 0, 0, 0, 0]"
    var tree0NodeCount = 5
    var attributes = "{}"

    var json: String {
        let names = featureNames.map { "\"\($0)\"" }.joined(separator: ", ")
        return """
        {"learner": {"attributes": \(attributes), "feature_names": [\(names)], "feature_types": [],
          "gradient_booster": {"model": {"cats": {"enc": [], "feature_segments": [], "sorted_idx": []},
            "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "2"}, "iteration_indptr": [0, 1, 2],
            "tree_info": [0, 0],
            "trees": [
              {"base_weights": [0.1, 1.0, 0.2, -2.0, 3.0], "categories": [], "categories_nodes": [],
               "categories_segments": [], "categories_sizes": [], "default_left": \(defaultLeft0), "id": 0,
               "left_children": \(tree0Left), "loss_changes": [1.0, 0.0, 0.5, 0.0, 0.0],
               "parents": [2147483647, 0, 0, 2, 2], "right_children": \(tree0Right),
               "split_conditions": \(tree0Conditions), "split_indices": \(tree0Indices),
               "split_type": \(tree0SplitType), "sum_hessian": [10.0, 4.0, 6.0, 3.0, 3.0],
               "tree_param": {"num_deleted": "0", "num_feature": "\(featureNames.count)", "num_nodes": "\(tree0NodeCount)", "size_leaf_vector": "1"}},
              {"base_weights": [0.0, 0.25, -0.5], "categories": [], "categories_nodes": [], "categories_segments": [],
               "categories_sizes": [], "default_left": [0, 0, 0], "id": 1, "left_children": [1, -1, -1],
               "loss_changes": [1.0, 0.0, 0.0], "parents": [2147483647, 0, 0], "right_children": [2, -1, -1],
               "split_conditions": [10.0, 0.25, -0.5], "split_indices": [1, 0, 0], "split_type": [0, 0, 0],
               "sum_hessian": [10.0, 5.0, 5.0],
               "tree_param": {"num_deleted": "0", "num_feature": "\(featureNames.count)", "num_nodes": "3", "size_leaf_vector": "1"}}
            ]}, "name": "\(booster)"},
          "learner_model_param": {"base_score": "\(baseScore)", "boost_from_average": "1", "num_class": "0",
            "num_feature": "\(featureNames.count)", "num_target": "1"},
          "objective": {"name": "\(objective)", "reg_loss_param": {"scale_pos_weight": "1"}}},
         "version": [3, 2, 0]}
        """
    }

    func model(version: String = "tiny") throws -> XGBoostModel {
        try XGBoostModel(jsonData: Array(json.utf8), version: version)
    }

    /// The error parsing this model throws (or a failed expectation if it parses).
    func loadError() -> XGBoostModelError? {
        #expect(throws: XGBoostModelError.self) { try model() }
        do { _ = try model() } catch let error as XGBoostModelError { return error } catch {}
        return nil
    }
}

@Suite struct XGBoostModelTests {
    @Test func tinyModelMatchesHandComputedOutputs() throws {
        let model = try TinyModel().model()
        #expect(model.featureNames == ["a", "b"])
        #expect(model.treeCount == 2)
        #expect(model.nodeCount == 8)
        #expect(model.baseScore == 0.5)
        #expect(model.version == "tiny")
        #expect(model.predict([1, 5]) == 1.75)    // 0.5 + 1.0 + 0.25
        #expect(model.predict([2, -1]) == -1.25)  // 0.5 - 2.0 + 0.25
        #expect(model.predict([1.5, 20]) == 3.0)  // a == 1.5 is not < 1.5: 0.5 + 3.0 - 0.5
    }

    @Test func missingValuesFollowEachNodesDefaultDirection() throws {
        let model = try TinyModel().model()
        #expect(model.predict([.nan, 20]) == 1.0)   // a missing → left (1.0); 0.5 + 1.0 - 0.5
        #expect(model.predict([2, .nan]) == 3.0)    // b missing → right at both b splits: 0.5 + 3.0 - 0.5
        #expect(model.predict([.nan, .nan]) == 1.0) // 0.5 + 1.0 - 0.5
    }

    @Test func treeThatIsASingleLeafAddsItsValue() throws {
        var tiny = TinyModel()
        (tiny.tree0Left, tiny.tree0Right, tiny.tree0Indices) = ("[-1]", "[-1]", "[0]")
        (tiny.tree0Conditions, tiny.defaultLeft0, tiny.tree0SplitType, tiny.tree0NodeCount) = ("[2.0]", "[0]", "[0]", 1)
        let model = try tiny.model()
        #expect(model.nodeCount == 4)
        #expect(model.predict([1, 5]) == 2.75)  // 0.5 + 2.0 + 0.25
    }

    @Test func rowShorterThanTheFeaturesReadsTheRestAsMissing() throws {
        let model = try TinyModel().model()
        #expect(model.predict([2]) == model.predict([2, .nan]))
        #expect(model.predict([]) == 1.0)
    }

    @Test func thresholdsAreComparedAsFloat32() throws {
        // "0.7" as a float is 0.699999988; a row value of Float(0.7) equals it and goes right.
        // A double-precision compare (0.699999988 < 0.7) would wrongly go left.
        var tiny = TinyModel()
        tiny.tree0Conditions = "[0.7, 1.0, 0.0, -2.0, 3.0]"
        let model = try tiny.model()
        #expect(model.predict([Float(0.7), 5]) == 3.75)               // right: 0.5 + 3.0 + 0.25
        #expect(model.predict([Float(0.7).nextDown, 5]) == 1.75)      // left: 0.5 + 1.0 + 0.25
    }

    @Test func baseScoreAcceptsXGBoost3BracketsAndThePlainForm() throws {
        for text in ["[5E-1]", "5E-1", "0.5", "[5.0E-1]"] {
            var tiny = TinyModel()
            tiny.baseScore = text
            #expect(try tiny.model().baseScore == 0.5, "base_score \(text)")
        }
        var multi = TinyModel()
        multi.baseScore = "[1E0,2E0]"
        #expect(multi.loadError()?.description.contains("base_score '[1E0,2E0]' is not a single finite number") == true)
    }

    @Test func defaultLeftWrittenAsBooleansIsAccepted() throws {
        var tiny = TinyModel()
        tiny.defaultLeft0 = "[true, false, false, false, false]"
        #expect(try tiny.model().predict([.nan, 20]) == 1.0)
    }

    @Test func escapedFeatureNamesAreDecoded() throws {
        var tiny = TinyModel()
        tiny.featureNames = [#"caf\u00e9"#, #"q\"uote\\d"#]
        #expect(try tiny.model().featureNames == ["café", #"q"uote\d"#])
    }

    @Test func loadReadsAFileAndDerivesAHashVersion() throws {
        let directory = try TemporaryDirectory(prefix: "xgb")
        defer { directory.remove() }
        let path = directory.file("tiny.json")
        try TinyModel().json.write(toFile: path, atomically: true, encoding: .utf8)
        let model = try XGBoostModel.load(contentsOf: path)
        let expected = "sha256:" + SHA256Digest.hex(Array(TinyModel().json.utf8)).prefix(12)
        #expect(model.version == expected)
        #expect(try XGBoostModel.load(contentsOf: path, version: "v9").version == "v9")
        #expect(model.predict([1, 5]) == 1.75)
    }

    @Test func concurrentPredictionsShareOneModel() async throws {
        let model = try TinyModel().model()
        let sums = await withTaskGroup(of: Double.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<1000).reduce(0.0) { total, _ in total + model.predict([1, 5]) } }
            }
            return await group.reduce(into: [Double]()) { $0.append($1) }
        }
        #expect(sums == Array(repeating: 1750.0, count: 8))
    }
}
