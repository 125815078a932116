/// Rows of feature values read from a numeric CSV whose header names the model's features in
/// any order, arranged into the model's feature order for `XGBoostModel.predict`.
///
/// CSV dialect: comma-separated, one row per line (`\n` or `\r\n`), no quoting — enough for
/// numeric feature tables. An empty cell is a missing value (`Float.nan`); a feature the header
/// does not name is missing in every row. Numbers are parsed as `Double` and narrowed to
/// `Float`, as numpy does when it hands a float64 matrix to xgboost.
public struct XGBoostFeatureTable: Sendable {
    /// One row per data line, each `featureNames.count` long, in the model's feature order.
    public let rows: [[Float]]
    /// Model features with no column (missing in every row).
    public let absentFeatures: [String]

    /// Parses `text`.
    /// - Parameters:
    ///   - featureNames: the model's features, in its order.
    ///   - ignoredColumns: header names to skip (e.g. an expected-output column).
    ///   - source: how to name the input in errors (a file path).
    /// - Throws: `XGBoostFeatureTableError` naming the line and column (unknown or duplicate
    ///   column, wrong cell count, a cell that is not a finite number).
    public init(csv text: String, featureNames: [String], ignoredColumns: Set<String> = [],
                source: String) throws {
        // `\r\n` is one Character in Swift, so split on any newline character.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else {
            throw XGBoostFeatureTableError(source: source, line: 1, column: nil, "is empty; expected a header of feature names")
        }
        let position = Dictionary(featureNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var targets: [Int?] = []  // model position per column, nil = ignored
        var seen: Set<String> = []
        for name in columns {
            guard seen.insert(name).inserted else {
                throw XGBoostFeatureTableError(source: source, line: 1, column: name, "appears twice in the header")
            }
            if ignoredColumns.contains(name) { targets.append(nil); continue }
            guard let index = position[name] else {
                throw XGBoostFeatureTableError(source: source, line: 1, column: name,
                    "is not a feature of the model (features: \(featureNames.joined(separator: ", ")))")
            }
            targets.append(index)
        }
        absentFeatures = featureNames.filter { !seen.contains($0) }

        var rows: [[Float]] = []
        rows.reserveCapacity(lines.count - 1)
        for (offset, line) in lines.dropFirst().enumerated() {
            let lineNumber = offset + 2
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == columns.count else {
                throw XGBoostFeatureTableError(source: source, line: lineNumber, column: nil,
                    "has \(cells.count) cells, the header has \(columns.count) columns")
            }
            var row = [Float](repeating: .nan, count: featureNames.count)
            for (cell, target) in zip(cells, targets) {
                guard let target, !cell.isEmpty else { continue }
                guard let value = Double(cell), value.isFinite, Float(value).isFinite else {
                    throw XGBoostFeatureTableError(source: source, line: lineNumber, column: featureNames[target],
                        "'\(cell)' is not a finite number (leave the cell empty for a missing value)")
                }
                row[target] = Float(value)
            }
            rows.append(row)
        }
        self.rows = rows
    }
}

/// A problem in a feature CSV: which input, line and column, and what is wrong.
public struct XGBoostFeatureTableError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The input's name (file path).
    public let source: String
    /// 1-based line number (line 1 is the header; data row n is line n + 1).
    public let line: Int
    /// The column's header name, when the problem is in one cell or header entry.
    public let column: String?
    /// What is wrong.
    public let detail: String

    /// Creates an error.
    public init(source: String, line: Int, column: String?, _ detail: String) {
        self.source = source
        self.line = line
        self.column = column
        self.detail = detail
    }

    /// e.g. `features.csv line 4 (row 3), column 'pace_score': 'abc' is not a finite number (…)`.
    public var description: String {
        let row = line > 1 ? " (row \(line - 1))" : ""
        let where_ = column.map { ", column '\($0)'" } ?? ""
        return "\(source) line \(line)\(row)\(where_): \(detail)"
    }
}
