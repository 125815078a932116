import Foundation
import PropcastModels
import PropcastSeason
import PropcastStore
import PropcastTestSupport
import Testing

/// `propcast store seed|info`, run as the real executable.
@Suite(.realProcesses) struct StoreCommandTests {
    @Test func seedWritesAStoreThenRefusesToOverwriteItWithoutForce() async throws {
        let directory = try TemporaryDirectory(prefix: "store-cli")
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let path = directory.file("cli.sqlite")
        let arguments = ["store", "seed", "--store", path, "--players", "40", "--teams", "4", "--seed", "9",
                         "--last-date", "2024-11-10"]
        let first = try await TestProcess.run(binary, arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("40 players"))
        #expect(first.stdout.contains("2024-10-22 … "))

        let refused = try await TestProcess.run(binary, arguments)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(path) && refused.stderr.contains("--force"))

        let forced = try await TestProcess.run(binary, arguments + ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        // The same seed through the CLI gives the same data as the library.
        let library = directory.file("library.sqlite")
        try StoreSeeder(configuration: StoreSeedConfiguration(players: 40, teams: 4, seed: 9,
                                                              lastDate: GameDate("2024-11-10"))).seed(path: library)
        #expect(try SeededStoreFixture.dump(path: path) == SeededStoreFixture.dump(path: library))
    }

    @Test func infoShowsCountsAndReadinessForADate() async throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-11-30")
        defer { fixture.directory.remove() }
        let date = try #require(fixture.store.gameDates().last)
        let readiness = try fixture.store.readiness(on: date)
        let result = try await TestProcess.run(try PropcastExecutable.path(),
                                               ["store", "info", "--store", fixture.path, "--date", date.description])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ml_feature_store_v2 \(fixture.summary.featureRows)"))
        #expect(result.stdout.contains("expected \(readiness.expectedPlayers)"))
        #expect(result.stdout.contains("production-ready \(readiness.productionReadyPlayers)"))
    }

    @Test func infoOnAMissingFileOrBadDateExitsTwoWithTheReason() async throws {
        let directory = try TemporaryDirectory(prefix: "store-cli")
        defer { directory.remove() }
        let binary = try PropcastExecutable.path()
        let missing = try await TestProcess.run(binary, ["store", "info", "--store", directory.file("none.sqlite")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("none.sqlite: no such file"))
        let badDate = try await TestProcess.run(binary, ["store", "info", "--store", "x", "--date", "2025-13-01"])
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("not YYYY-MM-DD"))
    }
}
