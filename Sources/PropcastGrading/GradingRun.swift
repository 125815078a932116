import Foundation
import PropcastModels
import PropcastStore

/// Predicts past dates of a store in-process and scores each system against the actual
/// points (`propcast grade`). Dates run in parallel, one per core; each date's predictions
/// are graded and dropped, so memory stays flat over a season.
public struct GradingRun: Sendable {
    /// How far a run has got, reported after every graded date.
    public struct Progress: Sendable, Hashable {
        public var gradedDates: Int
        public var totalDates: Int
        /// The date just graded.
        public var lastDate: GameDate
    }

    public let store: FeatureStore
    public let engine: PredictionEngine
    public let dates: ClosedRange<GameDate>

    /// A run over the store's game dates inside `dates`.
    public init(store: FeatureStore, engine: PredictionEngine, dates: ClosedRange<GameDate>) {
        self.store = store
        self.engine = engine
        self.dates = dates
    }

    /// Grades every game date of the range; `progress` is called after each one.
    /// Throws ``StoreError`` when the store cannot be read.
    public func run(progress: @Sendable (Progress) -> Void = { _ in }) async throws -> GradeReport {
        let gameDates = try store.gameDates().filter { dates.contains($0) }
        let started = ContinuousClock.now
        let (store, engine) = (self.store, self.engine)
        let results = try await withThrowingTaskGroup(of: DateGrade.self) { group in
            var pending = gameDates[...]
            var results: [DateGrade] = []
            for _ in 0..<max(ProcessInfo.processInfo.activeProcessorCount, 1) {
                guard let date = pending.popFirst() else { break }
                group.addTask { try Self.grade(date, store: store, engine: engine) }
            }
            while let result = try await group.next() {
                results.append(result)
                progress(Progress(gradedDates: results.count, totalDates: gameDates.count, lastDate: result.date))
                if let date = pending.popFirst() {
                    group.addTask { try Self.grade(date, store: store, engine: engine) }
                }
            }
            return results
        }
        let elapsed = ContinuousClock.now - started
        return GradeReport(from: dates.lowerBound, to: dates.upperBound, dates: results.count,
                           playersPredicted: results.map(\.predicted).reduce(0, +),
                           playersSkipped: results.map(\.skipped).reduce(0, +),
                           seconds: elapsed / .seconds(1),
                           summaries: Grading.merge(results.sorted { $0.date < $1.date }.map(\.summaries)))
    }

    private struct DateGrade: Sendable {
        var date: GameDate
        var predicted: Int
        var skipped: Int
        var summaries: [GradingSummary]
    }

    private static func grade(_ date: GameDate, store: FeatureStore, engine: PredictionEngine) throws -> DateGrade {
        let inputs = try store.playerInputs(on: date)
        let actuals = try store.actualPoints(from: date, to: date)
        var rows: [PredictionRow] = []
        var skipped = 0
        for input in inputs {
            let predictions = engine.predict(input)
            if predictions.isSkipped { skipped += 1 }
            rows.append(contentsOf: predictions.rows)
        }
        return DateGrade(date: date, predicted: inputs.count - skipped, skipped: skipped,
                         summaries: Grading.grade(rows, actuals: actuals))
    }
}
