import Foundation
import PropcastXGBoost

/// `propcast bench model-load`: how fast a large XGBoost JSON model loads and predicts.
///
/// Writes a model of random complete trees (default 1,400 trees of depth 8, about 50 MB) in
/// xgboost's save_model JSON layout to a temporary directory, loads it `runs` times (read +
/// parse + validate + flatten; median reported), then times single-row predict on one core,
/// also on `model` when given. Throws ``XGBoostModelError`` when a model cannot be loaded.
public struct ModelLoadBenchmark: Sendable {
    /// Trees in the generated model.
    public var trees = 1400
    /// Depth of every generated tree (2^(depth+1)-1 nodes each).
    public var depth = 8
    /// Loads timed; the median is reported.
    public var runs = 5
    /// Single-row predictions timed per model.
    public var predictions = 200_000
    /// Also time prediction on this XGBoost JSON model file.
    public var model: String?
    /// Also save the generated model here.
    public var savePath: String?

    public init() {}

    /// Generates, saves, loads and times; `report` gets each result line.
    public func run(report: (String) -> Void) throws {
        let clock = ContinuousClock()
        let names = (0..<25).map { "f\($0)" }
        let generator = XGBoostSyntheticModel(featureNames: names, treeCount: trees, depth: depth)
        var bytes: [UInt8] = []
        let generation = clock.measure { bytes = generator.jsonBytes() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("propcast-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.json").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if let savePath { try Data(bytes).write(to: URL(fileURLWithPath: savePath)) }
        report(String(format: "generated model: %.1f MB, %d trees of depth %d (%d nodes) in %@",
                     Double(bytes.count) / 1_000_000, trees, depth, trees * generator.nodesPerTree,
                     Self.format(generation)))

        var loaded: XGBoostModel?
        var durations: [Duration] = []
        var cpuSeconds: [Double] = []
        for _ in 0..<runs {
            let cpuStart = Self.threadCPUSeconds()
            durations.append(try clock.measure { loaded = try XGBoostModel.load(contentsOf: path, version: "bench") })
            cpuSeconds.append(Self.threadCPUSeconds() - cpuStart)
        }
        durations.sort()
        cpuSeconds.sort()
        report("load (read + parse + validate + flatten), \(runs) runs: median \(Self.format(durations[runs / 2])) wall "
            + "(min \(Self.format(durations[0])), max \(Self.format(durations[runs - 1]))), "
            + String(format: "median %.1f ms CPU", cpuSeconds[runs / 2] * 1e3))
        if let loaded { report(timePredict(loaded, label: "generated model")) }
        if let model { report(timePredict(try XGBoostModel.load(contentsOf: model), label: model)) }
    }

    /// Times up to `predictions` single-row predictions (at most ~5 s) over 1,024 fixed random
    /// rows with 2% missing values.
    private func timePredict(_ model: XGBoostModel, label: String) -> String {
        var random = SystemRandomNumberGenerator()
        let rows: [[Float]] = (0..<1024).map { _ in
            (0..<model.featureNames.count).map { _ in
                Double.random(in: 0..<1, using: &random) < 0.02 ? .nan : Float.random(in: 0..<100, using: &random)
            }
        }
        var checksum = 0.0
        var done = 0
        let cpuStart = Self.threadCPUSeconds()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        let elapsed = clock.measure {
            // Chunks of 1,024 rows until --predictions are done or 5 s have passed (huge models).
            while done < predictions, clock.now < deadline {
                for index in 0..<min(1024, predictions - done) { checksum += model.predict(rows[index]) }
                done += min(1024, predictions - done)
            }
        }
        let cpu = Self.threadCPUSeconds() - cpuStart
        let seconds = elapsed.seconds
        return (String(format: "predict, %@ (%d trees, %d nodes), %d rows: %.0f rows/s single core, %.2f µs/row wall, "
                     + "%.2f µs/row CPU (checksum %.3f)",
                     label, model.treeCount, model.nodeCount, done, Double(done) / seconds,
                     seconds / Double(done) * 1e6, cpu / Double(done) * 1e6, checksum))
    }

    /// CPU time consumed by this thread, in seconds (unaffected by time spent descheduled).
    private static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    private static func format(_ duration: Duration) -> String {
        let milliseconds = duration / .milliseconds(1)
        return String(format: "%.1f ms", milliseconds)
    }
}
