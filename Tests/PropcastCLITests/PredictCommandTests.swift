import Foundation
import PropcastTestSupport
import Testing

/// `propcast predict` says so when there is nothing to predict: a player without features on
/// the date, a date without players, an empty input file — exit 2 with the reason, never an
/// empty success.
@Suite(.realProcesses) struct PredictCommandTests {
    func predict(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await SpawnedProcess.run(try PropcastExecutable.path(),
                                     ["predict", "--models", RepositoryPaths.ops("models")] + arguments)
    }

    @Test func aKnownPlayerIsPredictedAndAnUnknownOneIsNamed() async throws {
        let store = try await SeededStore.shared.path()
        let everyone = try await predict(["--store", store, "--date", SeededStore.date, "--json"])
        #expect(everyone.status == 0, "\(everyone.stderr)")
        let first = try #require(everyone.stdout.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let player = try #require(object["player_lookup"] as? String)
        let one = try await predict(["--store", store, "--date", SeededStore.date, "--player", player])
        #expect(one.status == 0 && one.stdout.hasPrefix(player), "\(one.stderr)")

        let unknown = try await predict(["--store", store, "--date", SeededStore.date, "--player", player,
                                         "--player", "nobodyatall"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no features for nobodyatall on \(SeededStore.date)"), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty, "nothing is printed for the others either")
    }

    @Test func aDateWithoutPlayersAndAnEmptyFileAreErrors() async throws {
        let store = try await SeededStore.shared.path()
        let empty = try await predict(["--store", store, "--date", "2024-07-01"])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("no player has features on 2024-07-01"), "\(empty.stderr)")
        let directory = try TemporaryDirectory(prefix: "predict")
        defer { directory.remove() }
        let file = directory.file("none.json")
        try "[]".write(toFile: file, atomically: true, encoding: .utf8)
        let none = try await predict(["--input", file])
        #expect(none.status == 2)
        #expect(none.stderr.contains("holds no players"), "\(none.stderr)")
    }
}
