import Foundation
import PropcastJournal
import PropcastModels
import PropcastStore

/// The coordinator's limit for ``BatchBenchmark``: the same date predicted and journaled in
/// this process, without workers or network.
struct InProcessBatch {
    /// The model directory.
    let models: String

    /// The batch's work without network: load the date's inputs, predict them on every core in
    /// frames of 32 players, and journal each frame's rows in one commit (fsync) — the
    /// coordinator's limit.
    func run(storePath: String, date: GameDate,
             journalDirectory: String) async throws -> (rows: Int, seconds: Double, computeSeconds: Double) {
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: models))
        let clock = ContinuousClock()
        let start = clock.now
        let inputs = try FeatureStore(path: storePath).playerInputs(on: date)
        let journal = try await JournalWriter.open(directory: journalDirectory, date: date)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each core predicts frames of 32 players and journals a frame's rows in one commit
        // (as the coordinator journals a frame's answers): the best one process can do.
        let frames = stride(from: 0, to: inputs.count, by: 32).map { $0..<min(inputs.count, $0 + 32) }
        let rows = try await withThrowingTaskGroup(of: Int.self) { group in
            for core in 0..<cores {
                group.addTask {
                    var rows = 0
                    for frame in stride(from: core, to: frames.count, by: cores).map({ frames[$0] }) {
                        let groups = inputs[frame].map { engine.predict($0).rows.map(JournalEntry.prediction) }
                        for result in await journal.append(groups: groups) { _ = try result.get() }
                        rows += groups.reduce(0) { $0 + $1.count }
                    }
                    return rows
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (clock.now - start).seconds
        await journal.close()
        // For reference: the predictions alone, one core, no journal.
        let computeStart = clock.now
        let computedRows = inputs.reduce(0) { $0 + engine.predict($1).rows.count }
        precondition(computedRows == rows, "the engine is deterministic")
        return (rows, seconds, (clock.now - computeStart).seconds)
    }
}
