import PropcastModels
import PropcastStore
import PropcastTestSupport
import Testing

@Suite struct ReadinessRuleTests {
    private let date = GameDate("2025-01-15")!

    private func readiness(expected: Int, ready: Int, quality: Double?) -> Readiness {
        Readiness(date: date, expectedPlayers: expected, playersWithFeatures: ready, productionReadyPlayers: ready,
                  averageQuality: quality)
    }

    @Test func eightyPercentReadyWithGoodQualityIsReady() {
        let verdict = ReadinessRule().evaluate(readiness(expected: 50, ready: 40, quality: 80))
        #expect(verdict.isReady)
        #expect(verdict.reasons.isEmpty)
    }

    @Test func justBelowEightyPercentAndFewerThanHundredIsNotReady() {
        let verdict = ReadinessRule().evaluate(readiness(expected: 50, ready: 39, quality: 90))
        #expect(!verdict.isReady)
        #expect(verdict.reasons.count == 1)
        #expect(verdict.reasons[0].contains("39 of 50"))
    }

    @Test func hundredReadyPlayersSufficeEvenBelowEightyPercent() {
        #expect(ReadinessRule().evaluate(readiness(expected: 400, ready: 100, quality: 76)).isReady)
        #expect(!ReadinessRule().evaluate(readiness(expected: 400, ready: 99, quality: 76)).isReady)
    }

    @Test func lowAverageQualityBlocksEvenWhenEveryoneIsReady() {
        let verdict = ReadinessRule().evaluate(readiness(expected: 300, ready: 300, quality: 74.9))
        #expect(!verdict.isReady)
        #expect(verdict.reasons == ["average feature quality 74.9 < 75.0"])
        #expect(ReadinessRule().evaluate(readiness(expected: 300, ready: 300, quality: 75)).isReady)
    }

    @Test func aDateWithNoPlayersIsNotReadyForBothReasons() {
        let verdict = ReadinessRule().evaluate(readiness(expected: 0, ready: 0, quality: nil))
        #expect(!verdict.isReady)
        #expect(verdict.reasons.count == 2)
    }

    @Test func thresholdsAreConfigurable() {
        let lenient = ReadinessRule(minReadyPercent: 50, minReadyPlayers: 10, minAverageQuality: 60)
        #expect(lenient.evaluate(readiness(expected: 50, ready: 25, quality: 61)).isReady)
        #expect(lenient.evaluate(readiness(expected: 500, ready: 10, quality: 61)).isReady)
        #expect(!lenient.evaluate(readiness(expected: 500, ready: 9, quality: 61)).isReady)
    }

    @Test func storeReadinessCountsExpectedReadyAndQualityForADate() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-12-15")
        defer { fixture.directory.remove() }
        let late = try fixture.store.readiness(on: #require(fixture.store.gameDates().last))
        #expect(late.expectedPlayers > 0)
        #expect(late.playersWithFeatures == late.expectedPlayers)
        #expect(late.productionReadyPlayers <= late.playersWithFeatures)
        #expect((80...100).contains(try #require(late.averageQuality)))
        // Opening night: nobody has history yet, so quality is low and the date is not ready.
        let opening = try fixture.store.readiness(on: #require(GameDate("2024-10-22")))
        #expect(opening.expectedPlayers > 0)
        #expect(try #require(opening.averageQuality) < 75)
        #expect(!ReadinessRule().evaluate(opening).isReady)
        let empty = try fixture.store.readiness(on: #require(GameDate("2024-08-01")))
        #expect(empty == Readiness(date: GameDate("2024-08-01")!, expectedPlayers: 0, playersWithFeatures: 0,
                                   productionReadyPlayers: 0, averageQuality: nil))
    }
}
