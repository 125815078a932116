import Foundation
import PropcastDigest

/// A gradient-boosted tree ensemble loaded from XGBoost's JSON model format
/// (`Booster.save_model("model.json")`, xgboost 1.x–3.x; `gbtree` booster,
/// `reg:squarederror` objective, numerical splits), evaluated exactly as the xgboost library
/// does: features compared as 32-bit floats (`value < threshold` goes left, NaN follows the
/// node's default direction), leaf values summed in 32-bit float onto `base_score`.
///
/// Immutable and `Sendable`: one loaded model is shared by concurrent predictions without locks.
public struct XGBoostModel: Sendable {
    /// The model's feature names, in the order `predict` expects its row.
    public let featureNames: [String]
    /// The version reported with predictions (from the manifest, or derived from the file hash).
    public let version: String
    /// The global bias every prediction starts from (`learner_model_param.base_score`).
    public let baseScore: Float
    /// All nodes of all trees, flattened; child indices are absolute.
    let nodes: [XGBoostNode]
    /// Index in `nodes` of each tree's root, in boosting order.
    let roots: [Int32]
    /// Depth of each tree: the most steps from its root to a leaf.
    let depths: [Int32]
    /// One more than the largest feature index any split reads.
    let requiredRowLength: Int

    /// Number of trees.
    public var treeCount: Int { roots.count }
    /// Number of nodes across all trees (splits and leaves).
    public var nodeCount: Int { nodes.count }

    /// Parses a model from the bytes of its JSON file (`Data` or `[UInt8]`).
    /// - Parameter version: the version string to report with predictions.
    /// - Throws: `XGBoostModelError` — `.malformedJSON` with the byte offset, `.unsupported`
    ///   (other booster or objective, categorical splits, multi-output), `.invalidModel`
    ///   (inconsistent trees, naming the tree and node).
    public init<Bytes: ContiguousBytes>(jsonData: Bytes, version: String) throws {
        let document = try jsonData.withUnsafeBytes { try XGBoostModelDocument.parse($0) }
        let forest = try XGBoostForestBuilder.build(document)
        self.featureNames = forest.featureNames
        self.baseScore = forest.baseScore
        self.nodes = forest.nodes
        self.roots = forest.roots
        self.depths = forest.depths
        self.requiredRowLength = forest.requiredRowLength
        self.version = version
    }

    /// Reads and parses the JSON model file at `path`.
    /// - Parameter version: the version to report; nil derives `sha256:<first 12 hex digits of the file>`.
    /// - Throws: `XGBoostModelError` whose description starts with `model file <path>:`.
    public static func load(contentsOf path: String, version: String? = nil) throws -> XGBoostModel {
        let data = try readFile(path)
        do {
            return try XGBoostModel(jsonData: data, version: version ?? defaultVersion(of: data))
        } catch let error as XGBoostModelError {
            throw error.attributed(toFile: path)
        }
    }

    /// `sha256:` and the first 12 hex digits of the SHA-256 of `data`.
    public static func defaultVersion(of data: Data) -> String {
        "sha256:" + SHA256Digest.hex(Array(data)).prefix(12)
    }

    /// The file's bytes, or `XGBoostModelError(.unreadable)` naming it.
    public static func readFile(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw XGBoostModelError(.unreadable, "file not found", source: "model file \(path)")
        }
        guard !isDirectory.boolValue else {
            throw XGBoostModelError(.unreadable, "is a directory, expected a JSON model file", source: "model file \(path)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw XGBoostModelError(.unreadable, "cannot be read (\(error.localizedDescription))",
                                    source: "model file \(path)")
        }
    }

    /// The model's output for one row.
    /// - Parameter row: feature values in `featureNames` order as 32-bit floats; `Float.nan`
    ///   marks a missing value (it takes each split's default direction). A row shorter than
    ///   the model's feature count reads the absent trailing features as missing.
    /// - Returns: `base_score` plus the leaf value of every tree (identity link of
    ///   `reg:squarederror`), accumulated in 32-bit float as xgboost does.
    public func predict(_ row: [Float]) -> Double {
        guard row.count >= requiredRowLength else {
            let padded = row + [Float](repeating: .nan, count: requiredRowLength - row.count)
            return predict(padded)
        }
        return nodes.withUnsafeBufferPointer { nodes in
            row.withUnsafeBufferPointer { row in
                roots.withUnsafeBufferPointer { roots in
                    depths.withUnsafeBufferPointer { depths in
                        Double(Self.sum(nodes: nodes, roots: roots, depths: depths, row: row, baseScore: baseScore))
                    }
                }
            }
        }
    }

    /// Walks every tree for `row` and sums the leaves in tree order, in `Float`, starting from
    /// `baseScore` (the order and precision xgboost's CPU predictor uses).
    ///
    /// Trees are walked eight at a time in lockstep for the deepest one's depth: the eight
    /// dependent chains of node loads overlap, and extra steps stay on the reached leaf (see
    /// `XGBoostNode`). Validation at load guarantees every child index is in `nodes`, every
    /// feature index is below `row.count` and every depth is exact, so the unchecked walk
    /// stays in bounds and ends on leaves.
    @inline(__always)
    private static func sum(nodes: UnsafeBufferPointer<XGBoostNode>, roots: UnsafeBufferPointer<Int32>,
                            depths: UnsafeBufferPointer<Int32>, row: UnsafeBufferPointer<Float>,
                            baseScore: Float) -> Float {
        var total = baseScore
        var tree = 0
        while tree + 8 <= roots.count {
            var (a, b, c, d) = (Int(roots[tree]), Int(roots[tree + 1]), Int(roots[tree + 2]), Int(roots[tree + 3]))
            var (e, f, g, h) = (Int(roots[tree + 4]), Int(roots[tree + 5]), Int(roots[tree + 6]), Int(roots[tree + 7]))
            var steps: Int32 = 0
            for offset in 0..<8 { steps = max(steps, depths[tree + offset]) }
            for _ in 0..<steps {
                a = nodes[a].child(for: row)
                b = nodes[b].child(for: row)
                c = nodes[c].child(for: row)
                d = nodes[d].child(for: row)
                e = nodes[e].child(for: row)
                f = nodes[f].child(for: row)
                g = nodes[g].child(for: row)
                h = nodes[h].child(for: row)
            }
            total += nodes[a].threshold
            total += nodes[b].threshold
            total += nodes[c].threshold
            total += nodes[d].threshold
            total += nodes[e].threshold
            total += nodes[f].threshold
            total += nodes[g].threshold
            total += nodes[h].threshold
            tree += 8
        }
        while tree < roots.count {
            var node = Int(roots[tree])
            for _ in 0..<depths[tree] { node = nodes[node].child(for: row) }
            total += nodes[node].threshold
            tree += 1
        }
        return total
    }
}
