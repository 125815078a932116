/// The parts of an XGBoost JSON model (`Booster.save_model("m.json")`, xgboost 1.x–3.x) that
/// prediction needs, read as written and not yet checked for consistency. Everything else in
/// the file (gradient statistics, categories of unused features, attributes…) is skipped.
struct XGBoostModelDocument {
    /// `learner.feature_names`.
    var featureNames: [String]?
    /// `learner.gradient_booster.name` (`gbtree`, `dart`, `gblinear`).
    var boosterName: String?
    /// `learner.objective.name`.
    var objectiveName: String?
    /// `learner.learner_model_param` (`base_score`, `num_class`, `num_feature`, `num_target`…), as strings.
    var learnerParameters: [String: String] = [:]
    /// `…model.gbtree_model_param` (`num_trees`, `num_parallel_tree`), as strings.
    var treeModelParameters: [String: String] = [:]
    /// `…model.tree_info`: the output group of each tree.
    var treeInfo: [Int]?
    /// `…model.trees`, in file order.
    var trees: [XGBoostTreeDocument] = []

    /// Parses `bytes`; throws `XGBoostModelError(.malformedJSON)` naming the byte offset.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> XGBoostModelDocument {
        var document = XGBoostModelDocument()
        var scanner = XGBoostJSONScanner(bytes)
        try scanner.forEachMember { scanner, key in
            if key == "learner" { try document.parseLearner(&scanner) } else { try scanner.skipValue() }
        }
        try scanner.expectEnd()
        return document
    }

    private mutating func parseLearner(_ scanner: inout XGBoostJSONScanner) throws {
        try scanner.forEachMember { scanner, key in
            switch key {
            case "feature_names": featureNames = try scanner.readStringArray()
            case "learner_model_param": learnerParameters = try Self.readStringMembers(&scanner)
            case "gradient_booster": try parseBooster(&scanner)
            case "objective":
                try scanner.forEachMember { scanner, key in
                    if key == "name" { objectiveName = try scanner.readString() } else { try scanner.skipValue() }
                }
            default: try scanner.skipValue()
            }
        }
    }

    private mutating func parseBooster(_ scanner: inout XGBoostJSONScanner) throws {
        try scanner.forEachMember { scanner, key in
            switch key {
            case "name": boosterName = try scanner.readString()
            case "model": try parseTreeModel(&scanner)
            default: try scanner.skipValue()  // e.g. dart's nested "gbtree" and "weight_drop"
            }
        }
    }

    private mutating func parseTreeModel(_ scanner: inout XGBoostJSONScanner) throws {
        try scanner.forEachMember { scanner, key in
            switch key {
            case "gbtree_model_param": treeModelParameters = try Self.readStringMembers(&scanner)
            case "tree_info": treeInfo = try scanner.readIntArray()
            case "trees":
                try scanner.forEachElement { scanner in
                    trees.append(try XGBoostTreeDocument.parse(&scanner))
                }
            default: try scanner.skipValue()
            }
        }
    }

    /// Reads an object whose values are strings (XGBoost writes its parameters that way);
    /// members with other value types are skipped.
    static func readStringMembers(_ scanner: inout XGBoostJSONScanner) throws -> [String: String] {
        var members: [String: String] = [:]
        try scanner.forEachMember { scanner, key in
            if try scanner.peekSignificant() == UInt8(ascii: "\"") {
                members[key] = try scanner.readString()
            } else {
                try scanner.skipValue()
            }
        }
        return members
    }
}

/// One tree of an XGBoost JSON model, as written: parallel per-node arrays.
struct XGBoostTreeDocument {
    /// Byte offset where the tree's object starts (for error messages).
    var offset: Int
    /// `id`, when written.
    var id: Int?
    /// Left child per node; -1 marks a leaf.
    var leftChildren: [Int32] = []
    /// Right child per node; -1 for a leaf.
    var rightChildren: [Int32] = []
    /// Feature index per split node.
    var splitIndices: [Int32] = []
    /// Split threshold per split node; the leaf value per leaf.
    var splitConditions: [Float] = []
    /// Whether a missing value goes left, per node.
    var defaultLeft: [Bool] = []
    /// 0 = numerical split, 1 = categorical split, per node (absent in old models).
    var splitTypes: [Int]?
    /// Number of nodes with categorical splits.
    var categoricalNodeCount = 0
    /// `tree_param` (`num_nodes`, `size_leaf_vector`…), as strings.
    var parameters: [String: String] = [:]

    static func parse(_ scanner: inout XGBoostJSONScanner) throws -> XGBoostTreeDocument {
        var tree = XGBoostTreeDocument(offset: try scanner.peekSignificantOffset())
        try scanner.forEachMember { scanner, key in
            switch key {
            case "id": tree.id = try scanner.readInt()
            case "left_children": tree.leftChildren = try scanner.readInt32Array()
            case "right_children": tree.rightChildren = try scanner.readInt32Array()
            case "split_indices": tree.splitIndices = try scanner.readInt32Array()
            case "split_conditions": tree.splitConditions = try scanner.readFloatArray()
            case "default_left": tree.defaultLeft = try scanner.readFlagArray()
            case "split_type": tree.splitTypes = try scanner.readIntArray()
            case "categories_nodes": tree.categoricalNodeCount = try scanner.readIntArray().count
            case "tree_param": tree.parameters = try XGBoostModelDocument.readStringMembers(&scanner)
            default: try scanner.skipValue()  // base_weights, loss_changes, sum_hessian, parents…
            }
        }
        return tree
    }
}
