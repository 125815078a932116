/// Validation and flattening of one tree.
extension XGBoostForestBuilder {
    /// Checks `tree` and appends its nodes to `nodes` with absolute child indices.
    /// - Returns: the largest feature index its splits read (-1 for a single leaf) and the
    ///   tree's depth (splits on the longest root-to-leaf path).
    static func appendTree(_ tree: XGBoostTreeDocument, index: Int, featureCount: Int,
                           to nodes: inout [XGBoostNode]) throws -> (maxFeature: Int, depth: Int) {
        let name = "tree \(index)" + (tree.id.map { $0 == index ? "" : " (id \($0))" } ?? "")
        func invalid(_ detail: String) -> XGBoostModelError {
            XGBoostModelError(.invalidModel, "\(name) at byte offset \(tree.offset): \(detail)")
        }
        let count = tree.leftChildren.count
        guard count > 0 else { throw invalid("no left_children (a tree needs at least one node)") }
        let arrays = [("right_children", tree.rightChildren.count), ("split_indices", tree.splitIndices.count),
                      ("split_conditions", tree.splitConditions.count), ("default_left", tree.defaultLeft.count)]
        for (field, length) in arrays where length != count {
            throw invalid("\(field) has \(length) entries, expected \(count) (one per node)")
        }
        if let text = tree.parameters["num_nodes"], Int(text) != count {
            throw invalid("tree_param.num_nodes is '\(text)' but there are \(count) nodes")
        }
        if let text = tree.parameters["size_leaf_vector"], let size = Int(text), size > 1 {
            throw XGBoostModelError(.unsupported, "\(name): vector leaves (size_leaf_vector \(size)) are not supported")
        }
        if let types = tree.splitTypes, let node = types.firstIndex(where: { $0 != 0 }) {
            throw XGBoostModelError(.unsupported, "\(name) node \(node): categorical splits are not supported")
        }
        if tree.categoricalNodeCount > 0 {
            throw XGBoostModelError(.unsupported, "\(name): categorical splits are not supported")
        }

        // Walk from the root so every reachable node is checked once; a node reached twice
        // means a cycle or shared child, which prediction could loop on.
        let base = nodes.count
        // Unreachable (deleted) nodes become inert leaves.
        var flat = (0..<count).map { XGBoostNode(leafValue: 0, index: Int32(base + $0)) }
        var visited = [Bool](repeating: false, count: count)
        var pending = [(node: 0, depth: 0)]
        var maxFeature = -1
        var treeDepth = 0
        while let (node, depth) = pending.popLast() {
            guard !visited[node] else { throw invalid("node \(node) is reached twice (the tree has a cycle)") }
            visited[node] = true
            let left = Int(tree.leftChildren[node])
            let right = Int(tree.rightChildren[node])
            if left == -1 {
                guard right == -1 else { throw invalid("node \(node) has no left child but right child \(right)") }
                flat[node] = XGBoostNode(leafValue: tree.splitConditions[node], index: Int32(base + node))
                treeDepth = max(treeDepth, depth)
                continue
            }
            guard (1..<count).contains(left), (1..<count).contains(right), left != right else {
                throw invalid("node \(node) has children \(left) and \(right); expected two distinct nodes in 1..<\(count)")
            }
            let feature = Int(tree.splitIndices[node])
            guard (0..<featureCount).contains(feature) else {
                throw invalid("node \(node) splits on feature \(feature), but the model has \(featureCount) features")
            }
            maxFeature = max(maxFeature, feature)
            flat[node] = XGBoostNode(feature: feature, threshold: tree.splitConditions[node],
                                     defaultLeft: tree.defaultLeft[node],
                                     left: Int32(base + left), right: Int32(base + right))
            pending.append((right, depth + 1))
            pending.append((left, depth + 1))
        }
        nodes.append(contentsOf: flat)
        return (maxFeature, treeDepth)
    }
}
