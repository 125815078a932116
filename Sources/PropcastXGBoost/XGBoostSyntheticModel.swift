/// Generates valid XGBoost JSON models of random complete trees, in the exact layout
/// `Booster.save_model` writes (every per-node array, parameters as strings, xgboost 3 style
/// `base_score`), for load and prediction benchmarks that must run without Python.
/// Deterministic for a given seed.
public struct XGBoostSyntheticModel: Sendable {
    /// Feature names written to the model.
    public var featureNames: [String]
    /// Number of trees.
    public var treeCount: Int
    /// Depth of every (complete) tree: `2^(depth+1) - 1` nodes each.
    public var depth: Int
    /// Seed of the deterministic generator.
    public var seed: UInt64

    /// Describes a model; `depth` is clamped to 1...20.
    public init(featureNames: [String], treeCount: Int, depth: Int, seed: UInt64 = 42) {
        self.featureNames = featureNames
        self.treeCount = max(1, treeCount)
        self.depth = min(max(1, depth), 20)
        self.seed = seed
    }

    /// Nodes per tree.
    public var nodesPerTree: Int { (1 << (depth + 1)) - 1 }

    /// The model's JSON bytes. Splits read random features at random thresholds in [0, 100);
    /// default directions are random; leaves hold values in [-0.5, 0.5).
    public func jsonBytes() -> [UInt8] {
        var random = Generator(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(treeCount * nodesPerTree * 120 + 4096)
        let names = featureNames.map { "\"\($0)\"" }.joined(separator: ", ")
        out += Array("""
            {"learner": {"attributes": {}, "feature_names": [\(names)], "feature_types": [], \
            "gradient_booster": {"model": {"cats": {"enc": [], "feature_segments": [], "sorted_idx": []}, \
            "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "\(treeCount)"}, "iteration_indptr": [
            """.utf8)
        out += Array((0...treeCount).map(String.init).joined(separator: ", ").utf8)
        out += Array("], \"tree_info\": [".utf8)
        out += Array(Array(repeating: "0", count: treeCount).joined(separator: ", ").utf8)
        out += Array("], \"trees\": [".utf8)
        for tree in 0..<treeCount {
            if tree > 0 { out += Array(", ".utf8) }
            appendTree(id: tree, random: &random, to: &out)
        }
        out += Array("""
            ]}, "name": "gbtree"}, "learner_model_param": {"base_score": "[1.5E1]", "boost_from_average": "1", \
            "num_class": "0", "num_feature": "\(featureNames.count)", "num_target": "1"}, \
            "objective": {"name": "reg:squarederror", "reg_loss_param": {"scale_pos_weight": "1"}}}, "version": [3, 2, 0]}
            """.utf8)
        return out
    }

    private func appendTree(id: Int, random: inout Generator, to out: inout [UInt8]) {
        let count = nodesPerTree
        let firstLeaf = count / 2
        var left: [String] = [], right: [String] = [], feature: [String] = [], condition: [String] = []
        var defaultLeft: [String] = [], weight: [String] = [], parent: [String] = []
        for node in 0..<count {
            let isLeaf = node >= firstLeaf
            left.append(isLeaf ? "-1" : String(2 * node + 1))
            right.append(isLeaf ? "-1" : String(2 * node + 2))
            feature.append(isLeaf ? "0" : String(random.next(below: featureNames.count)))
            let value = isLeaf ? random.nextUnit() - 0.5 : random.nextUnit() * 100
            condition.append(value.description)
            weight.append((random.nextUnit() - 0.5).description)
            defaultLeft.append(isLeaf ? "0" : String(random.next(below: 2)))
            parent.append(node == 0 ? "2147483647" : String((node - 1) / 2))
        }
        let zeros = Array(repeating: "0", count: count).joined(separator: ", ")
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        out += Array("""
            {"base_weights": \(list(weight)), "categories": [], "categories_nodes": [], "categories_segments": [], \
            "categories_sizes": [], "default_left": \(list(defaultLeft)), "id": \(id), "left_children": \(list(left)), \
            "loss_changes": \(list(weight)), "parents": \(list(parent)), "right_children": \(list(right)), \
            "split_conditions": \(list(condition)), "split_indices": \(list(feature)), "split_type": [\(zeros)], \
            "sum_hessian": \(list(weight)), "tree_param": {"num_deleted": "0", "num_feature": "\(featureNames.count)", \
            "num_nodes": "\(count)", "size_leaf_vector": "1"}}
            """.utf8)
    }
}

extension XGBoostSyntheticModel {
    /// SplitMix64 (Steele et al. 2014): a small, fast, deterministic generator for synthetic models.
    struct Generator: RandomNumberGenerator {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in [0, 1) with float32 resolution.
        mutating func nextUnit() -> Float { Float(next() >> 40) * 0x1p-24 }

        /// Uniform in 0..<bound.
        mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }
}
