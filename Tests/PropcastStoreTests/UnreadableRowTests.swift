import Foundation
import GRDB
import PropcastModels
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// A store row that cannot be read costs its own player, never the date — and never a trap:
/// wrongly typed values (SQLite keeps whatever was written) are reported, not converted.
@Suite struct UnreadableRowTests {
    @Test func badRowsSkipTheirPlayersWithReasonsNamingColumnDateAndPlayer() throws {
        let fixture = try SeededStoreFixture(lastDate: "2024-11-20")
        defer { fixture.directory.remove() }
        let store = try FeatureStore(path: fixture.path, readOnly: false)
        var date = GameDate("2024-11-20")!
        while try store.loadInputs(on: date).inputs.count < 6 { date = date.adding(days: -1) }
        let players = try store.loadInputs(on: date).inputs.map(\.player.rawValue)
        let day = date.description
        try store.database.write { db in
            try db.execute(sql: "UPDATE ml_feature_store_v2 SET feature_quality_score = 'high' WHERE game_date = ? AND player_lookup = ?",
                           arguments: [day, players[0]])
            try db.execute(sql: "UPDATE upcoming_player_game_context SET points_line_values = '[10.5,11.5,12.5,13.5,14.5,15.5]' "
                           + "WHERE game_date = ? AND player_lookup = ?", arguments: [day, players[1]])
            try db.execute(sql: "UPDATE player_game_summary SET points = 'many' WHERE game_date < ? AND player_lookup = ?",
                           arguments: [day, players[2]])
            try db.execute(sql: "UPDATE ml_feature_store_v2 SET features = 7 WHERE game_date = ? AND player_lookup = ?",
                           arguments: [day, players[3]])
        }
        let loaded = try store.loadInputs(on: date)
        #expect(loaded.inputs.count == players.count - 4)
        let reasons = loaded.unreadable
        #expect(reasons[PlayerLookup(players[0])] == "ml_feature_store_v2.feature_quality_score of \(players[0]) on \(day) is NULL or not a number")
        #expect(reasons[PlayerLookup(players[1])] == "upcoming_player_game_context.points_line_values of \(players[1]) on \(day) "
                + "holds 6 lines, at most 5 are allowed")
        #expect(reasons[PlayerLookup(players[2])]?.hasPrefix("player_game_summary.points of \(players[2]) before \(day)") == true,
                "\(reasons)")
        #expect(reasons[PlayerLookup(players[3])]?.hasPrefix("ml_feature_store_v2.features of \(players[3]) on \(day) is not a JSON array") == true,
                "\(reasons)")
        // The strict reader names the first of them instead.
        #expect(throws: StoreError.self) { try store.playerInputs(on: date) }
    }
}
