import Foundation

/// Checks a parsed XGBoost model document and flattens its trees into one node array.
///
/// It accepts exactly what `XGBoostModel` can evaluate faithfully and rejects the rest with a
/// named reason: only the `gbtree` booster (not `dart`, whose tree weights change predictions,
/// nor `gblinear`), only `reg:squarederror`, a single output (no multi-class or multi-target),
/// numerical splits only. Every tree must be a proper binary tree reachable from node 0 with
/// children and feature indices in range, so prediction can walk it without bounds checks.
enum XGBoostForestBuilder {
    /// A validated, flattened model.
    struct Forest {
        var featureNames: [String]
        var baseScore: Float
        var nodes: [XGBoostNode]
        var roots: [Int32]
        var depths: [Int32]
        var requiredRowLength: Int
    }

    static let supportedObjective = "reg:squarederror"

    static func build(_ document: XGBoostModelDocument) throws -> Forest {
        try checkBoosterAndObjective(document)
        let featureNames = try checkFeatureNames(document)
        let baseScore = try parseBaseScore(document.learnerParameters["base_score"])
        try checkTreeList(document)

        var nodes: [XGBoostNode] = []
        nodes.reserveCapacity(document.trees.reduce(0) { $0 + $1.leftChildren.count })
        var roots: [Int32] = []
        roots.reserveCapacity(document.trees.count)
        var depths: [Int32] = []
        depths.reserveCapacity(document.trees.count)
        var requiredRowLength = 1  // leaves read feature 0, so every row needs at least one value
        for (index, tree) in document.trees.enumerated() {
            guard let root = Int32(exactly: nodes.count),
                  Int32(exactly: nodes.count + tree.leftChildren.count) != nil else {
                throw XGBoostModelError(.unsupported, "tree \(index): more than \(Int32.max) nodes in total")
            }
            roots.append(root)
            let shape = try appendTree(tree, index: index, featureCount: featureNames.count, to: &nodes)
            requiredRowLength = max(requiredRowLength, shape.maxFeature + 1)
            depths.append(Int32(shape.depth))
        }
        return Forest(featureNames: featureNames, baseScore: baseScore, nodes: nodes, roots: roots,
                      depths: depths, requiredRowLength: requiredRowLength)
    }

    private static func checkBoosterAndObjective(_ document: XGBoostModelDocument) throws {
        guard let booster = document.boosterName else {
            throw XGBoostModelError(.invalidModel,
                "no learner.gradient_booster.name (expected a model written by Booster.save_model to a .json file)")
        }
        guard booster == "gbtree" else {
            throw XGBoostModelError(.unsupported, "booster '\(booster)' is not supported (only gbtree)")
        }
        guard let objective = document.objectiveName else {
            throw XGBoostModelError(.invalidModel, "no learner.objective.name")
        }
        guard objective == supportedObjective else {
            throw XGBoostModelError(.unsupported, "objective '\(objective)' is not supported (only \(supportedObjective))")
        }
        for name in ["num_class", "num_target"] {
            if let text = document.learnerParameters[name] {
                guard let count = Int(text) else {
                    throw XGBoostModelError(.invalidModel, "learner_model_param.\(name) '\(text)' is not an integer")
                }
                guard count <= 1 else {
                    throw XGBoostModelError(.unsupported, "\(name) = \(count): models with several outputs are not supported")
                }
            }
        }
    }

    private static func checkFeatureNames(_ document: XGBoostModelDocument) throws -> [String] {
        guard let names = document.featureNames, !names.isEmpty else {
            throw XGBoostModelError(.invalidModel, "no learner.feature_names (train with feature names set)")
        }
        if let text = document.learnerParameters["num_feature"] {
            guard Int(text) == names.count else {
                throw XGBoostModelError(.invalidModel,
                    "learner_model_param.num_feature is '\(text)' but feature_names lists \(names.count) names")
            }
        }
        return names
    }

    /// Parses `base_score`, written `"5E-1"` by xgboost ≤ 2 and `"[2.1E1]"` by xgboost 3.
    static func parseBaseScore(_ text: String?) throws -> Float {
        guard let text else { throw XGBoostModelError(.invalidModel, "no learner_model_param.base_score") }
        var body = Substring(text)
        if body.first == "[", body.last == "]" { body = body.dropFirst().dropLast() }
        guard !body.contains(","), let value = Float(body.trimmingCharacters(in: .whitespaces)), value.isFinite else {
            throw XGBoostModelError(.invalidModel, "base_score '\(text)' is not a single finite number")
        }
        return value
    }

    private static func checkTreeList(_ document: XGBoostModelDocument) throws {
        let count = document.trees.count
        guard count > 0 else { throw XGBoostModelError(.invalidModel, "the model has no trees") }
        if let text = document.treeModelParameters["num_trees"], Int(text) != count {
            throw XGBoostModelError(.invalidModel, "gbtree_model_param.num_trees is '\(text)' but \(count) trees are present")
        }
        if let info = document.treeInfo {
            guard info.count == count else {
                throw XGBoostModelError(.invalidModel, "tree_info has \(info.count) entries for \(count) trees")
            }
            if let index = info.firstIndex(where: { $0 != 0 }) {
                throw XGBoostModelError(.unsupported, "tree \(index) belongs to output group \(info[index]); only one output is supported")
            }
        }
    }
}
