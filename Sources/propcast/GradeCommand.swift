import ArgumentParser
import Foundation
import PropcastConsole
import PropcastGrading
import PropcastModels
import PropcastStore

/// `propcast grade`: run the prediction engine in-process over past dates of a store and
/// score each system against the actual points.
struct GradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Predict past dates in-process and report each system's MAE and OVER/UNDER hit rate.",
        discussion: """
            Dates inside the XGBoost model's training range (manifest.json: training_first_date … \
            training_last_date) are graded too, with a warning: those figures flatter the model.
            """)


    @Option(help: "Feature store: an SQLite file or a postgresql:// URL.") var store: String = "propcast.sqlite"
    @Option(help: "First game date to grade (YYYY-MM-DD).") var from: String
    @Option(help: "Last game date to grade (YYYY-MM-DD).") var to: String
    @Option(help: ArgumentHelp(ModelDirectory.help, valueName: "dir")) var models: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        guard let first = GameDate(from), let last = GameDate(to), first <= last else {
            throw CommandFailure(.usage, "--from '\(from)' and --to '\(to)' must be YYYY-MM-DD dates with from ≤ to")
        }
        let featureStore: FeatureStore
        do { featureStore = try FeatureStore(path: store) } catch { throw CommandFailure(.usage, "\(error)") }
        let registry = try ModelDirectory.loadRegistry(models)
        if let trained = registry.trainingDates, trained.overlaps(first...last) {
            let overlap = max(first, trained.lowerBound)...min(last, trained.upperBound)
            printToStderr("propcast grade: warning: \(overlap.lowerBound) … \(overlap.upperBound) is inside the XGBoost "
                          + "model's training data (\(trained.lowerBound) … \(trained.upperBound)); its figures there "
                          + "are in-sample and look better than they will on new dates")
        }
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1)
        let run = GradingRun(store: featureStore, engine: PredictionEngine(registry: registry), dates: first...last)
        let report = try await run.run { progress in
            display.show(done: progress.gradedDates, of: progress.totalDates, unit: "dates",
                         detail: "last \(progress.lastDate)")
        }
        display.finish()
        print(json ? try report.json() : report.table())
    }
}
