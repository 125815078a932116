import Foundation
import PropcastModels
import PropcastStore
import PropcastTestSupport
import Testing

@Suite struct FeatureStorePlayerInputsTests {
    @Test func recentGamesAreAtMostThirtyNewestFirstWithinNinetyDaysAndNeverOnOrAfterTheDate() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2025-02-07"))
        let inputs = try fixture.store.playerInputs(on: date)
        #expect(!inputs.isEmpty)
        var sawLimit = false
        for input in inputs {
            #expect(input.recentGames.count <= 30)
            sawLimit = sawLimit || input.recentGames.count == 30
            for game in input.recentGames {
                #expect(game.gameDate < date, "game on \(game.gameDate) leaks into \(date)")
                #expect(game.gameDate >= date.adding(days: -90))
            }
            let dates = input.recentGames.map(\.gameDate)
            #expect(dates == dates.sorted(by: >))
            #expect(Set(dates).count == dates.count)
        }
        #expect(sawLimit, "by February some player must have more than 30 games in 90 days")
    }

    @Test func recentGamesAreTheLatestThirtyNotJustAnyThirty() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2025-02-07"))
        let inputs = try fixture.store.playerInputs(on: date)
        let busiest = try #require(inputs.max { $0.recentGames.count < $1.recentGames.count })
        let alone = try fixture.store.playerInputs(on: date, players: [busiest.player])
        #expect(alone == [busiest])
        // Every game in the window newer than the oldest one shipped must be shipped.
        let actual = try fixture.store.actualPoints(from: date.adding(days: -90), to: date.adding(days: -1))
        let played = actual.keys.filter { $0.player == busiest.player }.map(\.gameDate).sorted(by: >)
        #expect(busiest.recentGames.map(\.gameDate) == Array(played.prefix(30)))
    }

    @Test func featuresAgreeWithTheHistoryBeforeTheDate() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2024-12-20"))
        var checked = 0
        for input in try fixture.store.playerInputs(on: date) where input.recentGames.count >= 10 {
            let last5 = input.recentGames.prefix(5).map(\.points).reduce(0, +) / 5
            let last10 = input.recentGames.prefix(10).map(\.points).reduce(0, +) / 10
            #expect(abs((input.features["points_avg_last_5"] ?? -1) - last5) < 0.001)
            #expect(abs((input.features["points_avg_last_10"] ?? -1) - last10) < 0.001)
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func everyInputHasTheTwentyFiveNamedFeaturesAndOneToFiveLines() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let dates = try fixture.store.gameDates()
        #expect(dates.first == GameDate("2024-10-22"))
        for date in [dates[0], dates[dates.count / 2], dates[dates.count - 1]] {
            let inputs = try fixture.store.playerInputs(on: date)
            #expect(inputs.count == (try fixture.store.readiness(on: date)).playersWithFeatures)
            #expect(inputs.map(\.player) == inputs.map(\.player).sorted())
            for input in inputs {
                #expect(Set(input.features.keys) == Set(BaselineFeatures.names))
                #expect((1...5).contains(input.lineValues.count))
                #expect(input.lineValues.allSatisfy { $0.rawValue.truncatingRemainder(dividingBy: 1) == 0.5 })
                #expect(input.gameDate == date)
                #expect(input.gameID.rawValue.hasPrefix(date.description.replacingOccurrences(of: "-", with: "")))
                #expect((0...100).contains(input.featureQualityScore))
            }
        }
    }

    @Test func aPlayerFilterReturnsOnlyThosePlayers() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-11-20")
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2024-11-15"))
        let everyone = try fixture.store.playerInputs(on: date)
        let chosen = [everyone[2].player, everyone[0].player, "nobody-plays-here"]
        let filtered = try fixture.store.playerInputs(on: date, players: chosen)
        #expect(filtered.map(\.player) == [everyone[0].player, everyone[2].player])
        #expect(filtered[0] == everyone[0])
        #expect(try fixture.store.playerInputs(on: date, players: []).isEmpty)
    }

    @Test func aDateWithoutGamesGivesNoInputs() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-11-20")
        defer { fixture.directory.remove() }
        #expect(try fixture.store.playerInputs(on: #require(GameDate("2024-07-01"))).isEmpty)
    }

    @Test func openingAMissingFileOrAForeignDatabaseNamesTheFile() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-10-25")
        defer { fixture.directory.remove() }
        let missing = fixture.directory.file("missing.sqlite")
        let missingError = #expect(throws: StoreError.self) { try FeatureStore(path: missing) }
        #expect(missingError?.description.contains(missing) == true)

        let text = fixture.directory.file("notes.txt")
        try Data("not a database, just text that is long enough to be a header".utf8).write(to: URL(fileURLWithPath: text))
        let textError = #expect(throws: StoreError.self) { try FeatureStore(path: text) }
        #expect(textError?.description.contains(text) == true)

        let empty = fixture.directory.file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let emptyError = #expect(throws: StoreError.self) { try FeatureStore(path: empty) }
        #expect(emptyError?.what.contains("not a Propcast feature store") == true)
    }
}
