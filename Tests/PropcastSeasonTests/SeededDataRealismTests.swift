import Foundation
import PropcastModels
import PropcastStore
import PropcastTestSupport
import Testing

@Suite struct SeededDataRealismTests {
    @Test func pointsAverageLastTenCorrelatesWithActualPoints() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let actual = try fixture.store.actualPoints(from: #require(GameDate("2024-10-01")),
                                                    to: #require(GameDate("2025-06-30")))
        var pairs: [(Double, Double)] = []
        for date in try fixture.store.gameDates() {
            for input in try fixture.store.playerInputs(on: date) {
                guard let points = actual[GradingKey(player: input.player, gameDate: date)],
                      let feature = input.features["points_avg_last_10"] else { continue }
                pairs.append((feature, points))
            }
        }
        #expect(pairs.count > 1000)
        #expect(Self.correlation(pairs) > 0.5)
    }

    @Test func scheduleHasBackToBacksRestDaysAndBalancedVenues() throws {
        let fixture = try SeededStoreFixture(players: 60, teams: 6)
        defer { fixture.directory.remove() }
        var backToBacks = 0, rested = 0, home = 0, total = 0
        for date in try fixture.store.gameDates() {
            for input in try fixture.store.playerInputs(on: date) {
                total += 1
                if input.features["back_to_back"] == 1 { backToBacks += 1 }
                if (input.features["days_rest"] ?? 0) >= 2 { rested += 1 }
                if input.features["is_home"] == 1 { home += 1 }
            }
        }
        let share = { (count: Int) in Double(count) / Double(total) }
        #expect((0.08...0.30).contains(share(backToBacks)))
        #expect(share(rested) > 0.1)
        #expect((0.45...0.55).contains(share(home)))
    }

    @Test func mostRowsAreHighQualityPhase4AndSomeFallBelowSeventy() throws {
        let fixture = try SeededStoreFixture(players: 120, teams: 8)
        defer { fixture.directory.remove() }
        var qualities: [Double] = []
        var sources: [DataSource: Int] = [:]
        for input in try fixture.store.playerInputs(on: #require(GameDate("2025-01-20"))) {
            qualities.append(input.featureQualityScore)
            sources[input.dataSource, default: 0] += 1
        }
        let high = qualities.filter { $0 >= 80 }.count
        #expect(Double(high) / Double(qualities.count) > 0.8)
        #expect(Double(sources[.phase4] ?? 0) / Double(qualities.count) > 0.8)
        let allDates = try fixture.store.gameDates()
        var low = 0
        for date in allDates.suffix(20) {
            low += try fixture.store.playerInputs(on: date).filter { $0.featureQualityScore < 70 }.count
        }
        #expect(low > 0, "validation needs some players below quality 70")
    }

    private static func correlation(_ pairs: [(Double, Double)]) -> Double {
        let n = Double(pairs.count)
        let meanX = pairs.map(\.0).reduce(0, +) / n, meanY = pairs.map(\.1).reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (x, y) in pairs {
            sxy += (x - meanX) * (y - meanY)
            sxx += (x - meanX) * (x - meanX)
            syy += (y - meanY) * (y - meanY)
        }
        return sxy / (sxx * syy).squareRoot()
    }
}
