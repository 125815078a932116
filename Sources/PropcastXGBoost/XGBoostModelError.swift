/// Why an XGBoost JSON model could not be read: what went wrong and where (file, tree, node,
/// byte offset), so the operator knows which file to retrain or replace.
public struct XGBoostModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// The file is missing or cannot be read.
        case unreadable
        /// The bytes are not well-formed JSON (truncated, bad number, bad string…).
        case malformedJSON
        /// Well-formed JSON, but not a model this evaluator supports (booster, objective, categorical splits…).
        case unsupported
        /// A supported model whose trees or parameters are inconsistent.
        case invalidModel
    }

    /// The kind of failure.
    public let code: Code
    /// Where the model came from: `model file /path/xgboost_v1.json`, or `XGBoost model JSON` for in-memory bytes.
    public let source: String
    /// What is wrong, with the position (byte offset, tree, node) when known.
    public let detail: String

    /// Creates an error; `source` defaults to the in-memory wording.
    public init(_ code: Code, _ detail: String, source: String = XGBoostModelError.inMemorySource) {
        self.code = code
        self.detail = detail
        self.source = source
    }

    /// The source name used for models parsed from bytes rather than a file.
    public static let inMemorySource = "XGBoost model JSON"

    /// The same error attributed to the file at `path`.
    public func attributed(toFile path: String) -> XGBoostModelError {
        XGBoostModelError(code, detail, source: "model file \(path)")
    }

    /// `<source>: <detail>`, e.g. `model file /m/xgboost_v1.json: tree 12 node 40: left child 900 is out of range`.
    public var description: String {
        let advice: String
        switch code {
        case .unreadable: advice = "check the path and permissions"
        case .malformedJSON: advice = "the file is damaged or truncated; copy it again or retrain with Ops/train_xgboost.py"
        case .unsupported: advice = "retrain a gbtree reg:squarederror model with Ops/train_xgboost.py"
        case .invalidModel: advice = "retrain with Ops/train_xgboost.py"
        }
        return "\(source): \(detail) (\(advice))"
    }
}
