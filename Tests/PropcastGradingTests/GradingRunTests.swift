import Foundation
import PropcastGrading
import PropcastModels
import PropcastStore
import PropcastTestSupport
import Synchronization
import Testing

/// ``GradingRun`` against a small seeded store and Ops/models: the report equals grading each
/// date by hand, and progress is reported once per graded date.
@Suite struct GradingRunTests {
    @Test func reportEqualsGradingEachDateByHandAndProgressCountsDates() async throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-11-20")
        defer { fixture.directory.remove() }
        let engine = PredictionEngine(registry: try ModelRegistry.load(from: RepositoryPaths.ops("models")))
        let range = try #require(GameDate("2024-11-10"))...(try #require(GameDate("2024-11-20")))
        let seen = Mutex<[GradingRun.Progress]>([])
        let report = try await GradingRun(store: fixture.store, engine: engine, dates: range).run { progress in
            seen.withLock { $0.append(progress) }
        }

        let dates = try fixture.store.gameDates().filter { range.contains($0) }
        #expect(dates.count >= 5)
        #expect(report.dates == dates.count)
        let progress = seen.withLock { $0 }
        #expect(progress.map(\.gradedDates) == Array(1...dates.count))
        #expect(progress.allSatisfy { $0.totalDates == dates.count && range.contains($0.lastDate) })

        var rows: [PredictionRow] = []
        var skipped = 0
        for date in dates {
            for input in try fixture.store.playerInputs(on: date) {
                let predictions = engine.predict(input)
                if predictions.isSkipped { skipped += 1 }
                rows += predictions.rows
            }
        }
        let expected = Grading.grade(rows, actuals: try fixture.store.actualPoints(from: range.lowerBound,
                                                                                    to: range.upperBound))
        #expect(report.playersSkipped == skipped)
        #expect(report.systems.map(\.systemID) == expected.map(\.systemID))
        for (line, summary) in zip(report.systems, expected) {
            #expect(line.gradedPlayerGames == summary.gradedPlayerGames)
            #expect(line.calls == summary.calls && line.hits == summary.hits)
            #expect(abs((line.mae ?? -1) - (summary.meanAbsoluteError ?? -1)) < 1e-9)
        }
    }

    @Test func manifestTrainingDatesAreReadIntoTheRegistry() throws {
        let registry = try ModelRegistry.load(from: RepositoryPaths.ops("models"))
        let trained = try #require(registry.trainingDates)
        #expect(trained.lowerBound == GameDate("2024-10-22"))
        #expect(trained.upperBound <= GameDate("2025-04-13")!)
    }
}
