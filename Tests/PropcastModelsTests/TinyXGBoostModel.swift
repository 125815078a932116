import PropcastModels
import PropcastXGBoost

/// A hand-written two-tree XGBoost JSON model over the 25 features, in the layout
/// `Booster.save_model` writes:
/// - tree 0: points_avg_season (feature 2) < 20 → −5, else +5 (missing → left)
/// - tree 1: paint_rate_last_10 (feature 18) < 25 → 0.25, else 1.5 (missing → left)
/// on top of `base_score`. So season 22 with paint share 0.45 gives base + 5 + 0.25.
enum TinyXGBoostModel {
    static func json(baseScore: String = "2E1", featureNames: [String] = FeatureSet.v1BaselineNames) -> String {
        let names = featureNames.map { "\"\($0)\"" }.joined(separator: ", ")
        func tree(id: Int, feature: Int, threshold: Double, left: Double, right: Double) -> String {
            """
            {"base_weights": [0, \(left), \(right)], "categories": [], "categories_nodes": [], "categories_segments": [], \
            "categories_sizes": [], "default_left": [1, 0, 0], "id": \(id), "left_children": [1, -1, -1], \
            "loss_changes": [1, 0, 0], "parents": [2147483647, 0, 0], "right_children": [2, -1, -1], \
            "split_conditions": [\(threshold), \(left), \(right)], "split_indices": [\(feature), 0, 0], "split_type": [0, 0, 0], \
            "sum_hessian": [2, 1, 1], "tree_param": {"num_deleted": "0", "num_feature": "25", "num_nodes": "3", "size_leaf_vector": "1"}}
            """
        }
        return """
            {"learner": {"attributes": {}, "feature_names": [\(names)], "feature_types": [], \
            "gradient_booster": {"model": {"gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "2"}, \
            "iteration_indptr": [0, 1, 2], "tree_info": [0, 0], "trees": [\
            \(tree(id: 0, feature: 2, threshold: 20, left: -5, right: 5)), \
            \(tree(id: 1, feature: 18, threshold: 25, left: 0.25, right: 1.5))]}, "name": "gbtree"}, \
            "learner_model_param": {"base_score": "[\(baseScore)]", "boost_from_average": "1", "num_class": "0", \
            "num_feature": "\(featureNames.count)", "num_target": "1"}, \
            "objective": {"name": "reg:squarederror", "reg_loss_param": {"scale_pos_weight": "1"}}}, "version": [3, 2, 0]}
            """
    }

    static func model(baseScore: String = "2E1", version: String = "xgboost_test_v1") throws -> XGBoostModel {
        try XGBoostModel(jsonData: Array(json(baseScore: baseScore).utf8), version: version)
    }

    static func registry(baseScore: String = "2E1") throws -> ModelRegistry {
        ModelRegistry(xgboost: try model(baseScore: baseScore))
    }
}
