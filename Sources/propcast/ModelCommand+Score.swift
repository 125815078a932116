import ArgumentParser
import Foundation
import PropcastCoordinator
import PropcastModels
import PropcastXGBoost

extension ModelCommand {
    /// `propcast model score --model FILE --csv FILE`: one prediction per CSV row.
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Print the XGBoost model's raw prediction for every row of a feature CSV.",
            discussion: """
                The CSV's header names model features in any order; an empty cell is a missing value \
                and a feature without a column is missing in every row. Plain comma-separated numbers \
                only (no quoting). Output: one prediction per line, in row order.
                """)

        @Option(name: .long, help: "XGBoost JSON model file (Booster.save_model).") var model: String
        @Option(name: .long, help: "CSV of feature values with a header row of feature names.") var csv: String
        @Option(name: .customLong("ignore-column"),
                help: "A CSV column to skip, e.g. xgboost_prediction in a parity file (repeatable).")
        var ignoredColumns: [String] = []
        @OptionGroup var logging: LoggingOptions

        func run() throws {
            do {
                let model = try XGBoostModel.load(contentsOf: model)
                let text: String
                do { text = try String(contentsOfFile: csv, encoding: .utf8) } catch {
                    throw CommandFailure(.usage, "feature CSV \(csv): cannot be read (\(error.localizedDescription))")
                }
                let table = try XGBoostFeatureTable(csv: text, featureNames: model.featureNames,
                                                    ignoredColumns: Set(ignoredColumns), source: csv)
                if !table.absentFeatures.isEmpty {
                    printToStderr("note: \(csv) has no column for \(table.absentFeatures.joined(separator: ", ")); treated as missing")
                }
                FileHandle.standardOutput.write(Data(table.rows.map { "\(model.predict($0))\n" }.joined().utf8))
            } catch let error as XGBoostModelError {
                throw CommandFailure(.usage, "model score: \(error)")
            } catch let error as XGBoostFeatureTableError {
                throw CommandFailure(.usage, "model score: \(error)")
            }
        }
    }
}
