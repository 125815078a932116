import Foundation
import PropcastModels
import PropcastXGBoost
import Testing

/// The committed model must reproduce the xgboost library's own predictions
/// (Ops/models/xgboost_v1_parity.csv, written by Ops/train_xgboost.py) row for row.
@Suite struct XGBoostParityTests {
    /// Repository root, found from this file's real location (the scratch packages symlink it).
    static let modelDirectory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Ops/models").path

    @Test func everyParityRowMatchesXGBoostWithin1e5() throws {
        let model = try XGBoostModel.load(contentsOf: "\(Self.modelDirectory)/xgboost_v1.json")
        let table = try ParityTable(path: "\(Self.modelDirectory)/xgboost_v1_parity.csv")
        #expect(table.featureNames == model.featureNames)
        #expect(table.rows.count >= 10_000)

        var maxDifference = 0.0
        var worstRow = -1
        var rowsWithMissing = 0
        for (index, row) in table.rows.enumerated() {
            if row.features.contains(where: \.isNaN) { rowsWithMissing += 1 }
            let difference = abs(model.predict(row.features) - row.expected)
            if difference > maxDifference { (maxDifference, worstRow) = (difference, index) }
        }
        print("xgboost parity: \(table.rows.count) rows (\(rowsWithMissing) with missing values), "
            + "max |swift - xgboost| = \(maxDifference) at row \(worstRow)")
        #expect(rowsWithMissing > 0)
        #expect(maxDifference <= 1e-5, "row \(worstRow) differs by \(maxDifference)")
    }

    @Test func registryLoadsTheCommittedModelDirectory() throws {
        let registry = try ModelRegistry.load(from: Self.modelDirectory)
        #expect(registry.xgboost.featureNames == ModelRegistry.xgboostFeatureNames)
        #expect(Set(registry.versions.keys) == Set(SystemID.all))
        #expect(registry.versions[.xgboost] == registry.xgboost.version)
        #expect(registry.versions[.ensemble] == "ensemble_v2.0")
        #expect(registry.loadDuration > .zero)
    }
}

/// `xgboost_v1_parity.csv`: 25 feature columns (empty = missing) and `xgboost_prediction`.
struct ParityTable {
    struct Row {
        var features: [Float]
        var expected: Double
    }

    var featureNames: [String]
    var rows: [Row]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { throw ParityTableError("\(path): empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard header.last == "xgboost_prediction" else { throw ParityTableError("\(path): last column is not xgboost_prediction") }
        featureNames = Array(header.dropLast())
        rows = try lines.enumerated().map { number, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == header.count, let expected = Double(cells[cells.count - 1]) else {
                throw ParityTableError("\(path): line \(number + 2) is malformed")
            }
            let features = try cells.dropLast().map { cell -> Float in
                if cell.isEmpty { return .nan }
                // Parse as Double then narrow, exactly as numpy's float64 → float32 cast did.
                guard let value = Double(cell) else { throw ParityTableError("\(path): line \(number + 2) has '\(cell)'") }
                return Float(value)
            }
            return Row(features: features, expected: expected)
        }
    }
}

struct ParityTableError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
