import Foundation
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastTestSupport
import Testing

@Suite struct StoreSeederDeterminismTests {
    @Test func sameSeedGivesIdenticalTablesAndIdenticalFileBytes() throws {
        let first = try SeededStoreFixture(seed: 11, lastDate: "2024-11-25", name: "a.sqlite")
        defer { first.directory.remove() }
        let second = try SeededStoreFixture(seed: 11, lastDate: "2024-11-25", name: "b.sqlite")
        defer { second.directory.remove() }
        try first.store.close()
        try second.store.close()

        let firstDump = try SeededStoreFixture.dump(path: first.path)
        #expect(firstDump.count > 10_000)
        #expect(firstDump == (try SeededStoreFixture.dump(path: second.path)))
        // SQLite writes the same pages for the same statements, so even the files are equal.
        let firstBytes = try Data(contentsOf: URL(fileURLWithPath: first.path))
        #expect(firstBytes == (try Data(contentsOf: URL(fileURLWithPath: second.path))))
        #expect(first.summary == second.summary)
    }

    @Test func anotherSeedGivesDifferentData() throws {
        let first = try SeededStoreFixture(seed: 11, lastDate: "2024-11-25")
        defer { first.directory.remove() }
        let other = try SeededStoreFixture(seed: 12, lastDate: "2024-11-25")
        defer { other.directory.remove() }
        #expect(try SeededStoreFixture.dump(path: first.path) != SeededStoreFixture.dump(path: other.path))
    }

    @Test func seedingRefusesAnExistingFile() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-10-30")
        defer { fixture.directory.remove() }
        let error = #expect(throws: StoreError.self) {
            try StoreSeeder(configuration: StoreSeedConfiguration(players: 40, teams: 4)).seed(path: fixture.path)
        }
        #expect(error?.description.contains(fixture.path) == true)
        #expect(error?.what == "file already exists")
    }

    @Test func badSeasonLabelsAndCountsAreRejectedWithTheReason() throws {
        #expect(throws: StoreError.self) { try StoreSeedConfiguration(season: "2024-26").validatedDates() }
        #expect(throws: StoreError.self) { try StoreSeedConfiguration(season: "24-25").validatedDates() }
        #expect(throws: StoreError.self) { try StoreSeedConfiguration(players: 10, teams: 30).validatedDates() }
        #expect(throws: StoreError.self) { try StoreSeedConfiguration(teams: 31).validatedDates() }
        let dates = try StoreSeedConfiguration(season: "2024-25").validatedDates()
        #expect(dates.lowerBound == GameDate("2024-10-22"))
        #expect(dates.upperBound == GameDate("2025-04-13"))
    }
}
