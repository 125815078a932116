import Foundation
import PropcastXGBoost
import Testing

/// Generated benchmark models are valid, deterministic, and evaluated like a plain tree walk.
@Suite struct XGBoostSyntheticModelTests {
    let names = (0..<25).map { "f\($0)" }

    @Test func generatedModelLoadsWithTheRequestedShape() throws {
        let generator = XGBoostSyntheticModel(featureNames: names, treeCount: 13, depth: 4, seed: 7)
        let model = try XGBoostModel(jsonData: generator.jsonBytes(), version: "synthetic")
        #expect(model.treeCount == 13)
        #expect(model.nodeCount == 13 * 31)
        #expect(model.featureNames == names)
        #expect(model.baseScore == 15)
        #expect(generator.jsonBytes() == XGBoostSyntheticModel(featureNames: names, treeCount: 13, depth: 4, seed: 7).jsonBytes())
        #expect(generator.jsonBytes() != XGBoostSyntheticModel(featureNames: names, treeCount: 13, depth: 4, seed: 8).jsonBytes())
    }

    /// An independent oracle: Foundation's JSON parser and a straightforward recursive walk.
    @Test func predictMatchesANaiveWalkOfTheJSON() throws {
        let bytes = XGBoostSyntheticModel(featureNames: names, treeCount: 21, depth: 5, seed: 3).jsonBytes()
        let model = try XGBoostModel(jsonData: bytes, version: "synthetic")
        let oracle = try NaiveForest(json: Data(bytes))
        var random = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let row: [Float] = (0..<25).map { _ in
                Int.random(in: 0..<10, using: &random) == 0 ? .nan : Float.random(in: -5..<105, using: &random)
            }
            #expect(model.predict(row) == Double(oracle.predict(row)))
        }
    }
}

/// Reference evaluation straight from `JSONSerialization` output, one node at a time.
private struct NaiveForest {
    struct Tree {
        var left: [Int], right: [Int], feature: [Int], condition: [Float], defaultLeft: [Bool]
    }

    var baseScore: Float
    var trees: [Tree]

    init(json: Data) throws {
        let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let learner = try #require(root["learner"] as? [String: Any])
        let parameters = try #require(learner["learner_model_param"] as? [String: Any])
        let base = try #require(parameters["base_score"] as? String)
        baseScore = try #require(Float(base.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))))
        let booster = try #require(learner["gradient_booster"] as? [String: Any])
        let model = try #require(booster["model"] as? [String: Any])
        let trees = try #require(model["trees"] as? [[String: Any]])
        self.trees = try trees.map { tree in
            func ints(_ key: String) throws -> [Int] { try #require(tree[key] as? [NSNumber]).map(\.intValue) }
            return Tree(left: try ints("left_children"), right: try ints("right_children"),
                        feature: try ints("split_indices"),
                        condition: try #require(tree["split_conditions"] as? [NSNumber]).map(\.floatValue),
                        defaultLeft: try ints("default_left").map { $0 != 0 })
        }
    }

    func predict(_ row: [Float]) -> Float {
        var total = baseScore
        for tree in trees {
            var node = 0
            while tree.left[node] != -1 {
                let value = row[tree.feature[node]]
                let goLeft = value.isNaN ? tree.defaultLeft[node] : value < tree.condition[node]
                node = goLeft ? tree.left[node] : tree.right[node]
            }
            total += tree.condition[node]
        }
        return total
    }
}
