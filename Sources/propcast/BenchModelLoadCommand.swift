import ArgumentParser
import PropcastBench

/// `propcast bench model-load`: how fast a large XGBoost JSON model loads and predicts.
struct BenchModelLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model-load",
        abstract: "Time loading a generated ~50 MB XGBoost JSON model and single-row prediction.",
        discussion: """
            Writes a model of random complete trees (default 1,400 trees of depth 8, about 50 MB) in \
            xgboost's save_model JSON layout to a temporary directory, loads it --runs times \
            (read + parse + validate + flatten; median reported), then times single-row predict \
            on one core. With --model, prediction is also timed on that model (e.g. \
            Ops/models/xgboost_v1.json). Build with -c release for meaningful numbers.
            """)

    @Option(help: "Number of trees in the generated model.") var trees = 1400
    @Option(help: "Depth of every generated tree (2^(depth+1)-1 nodes each).") var depth = 8
    @Option(help: "How many times to load the model; the median is reported.") var runs = 5
    @Option(help: "Single-row predictions to time per model.") var predictions = 200_000
    @Option(help: "Also time prediction on this XGBoost JSON model file.") var model: String?
    @Option(name: .customLong("save-generated"),
            help: "Also save the generated model to this path (e.g. to check it with the xgboost package).")
    var savePath: String?
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard trees > 0, (1...20).contains(depth), runs > 0, predictions > 0 else {
            throw ValidationError("--trees, --runs and --predictions must be positive and --depth in 1...20")
        }
    }

    func run() async throws {
        var benchmark = ModelLoadBenchmark()
        (benchmark.trees, benchmark.depth, benchmark.runs) = (trees, depth, runs)
        (benchmark.predictions, benchmark.model, benchmark.savePath) = (predictions, model, savePath)
        do {
            try benchmark.run { print($0) }
        } catch {
            throw CommandFailure(.usage, "bench model-load: \(error)")
        }
    }
}
