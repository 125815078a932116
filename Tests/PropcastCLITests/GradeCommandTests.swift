import Foundation
import PropcastModels
import PropcastStore
import PropcastTestSupport
import Testing

/// `propcast grade`, run as the real executable against a small seeded store and Ops/models.
@Suite(.realProcesses) struct GradeCommandTests {
    private struct Report: Decodable {
        var dates: Int
        var players_predicted: Int
        var systems: [System]
        struct System: Decodable {
            var system_id: String
            var graded_player_games: Int
            var mae: Double?
            var calls: Int
            var hits: Int
            var hit_rate: Double?
        }
    }

    @Test func gradeReportsEverySystemOverThePlayedDates() async throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-12-20")
        defer { fixture.directory.remove() }
        let from = try #require(GameDate("2024-12-01")), to = try #require(GameDate("2024-12-20"))
        let result = try await TestProcess.run(try PropcastExecutable.path(), [
            "grade", "--store", fixture.path, "--from", from.description, "--to", to.description,
            "--models", RepositoryPaths.ops("models"), "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        let dates = try fixture.store.gameDates().filter { (from...to).contains($0) }
        #expect(report.dates == dates.count)
        let played = try fixture.store.actualPoints(from: from, to: to).count
        #expect(report.systems.map(\.system_id) == SystemID.all.map(\.rawValue))
        for system in report.systems {
            #expect(system.graded_player_games > 0 && system.graded_player_games <= played)
            #expect((0...15).contains(try #require(system.mae)))
            #expect(system.hits <= system.calls)
        }
        #expect(report.players_predicted <= dates.map { _ in 40 }.reduce(0, +))
    }

    @Test func gradeRejectsReversedDatesWithExitTwo() async throws {
        let result = try await TestProcess.run(try PropcastExecutable.path(), [
            "grade", "--store", "x.sqlite", "--from", "2025-01-10", "--to", "2025-01-01",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("from ≤ to"))
    }
}
