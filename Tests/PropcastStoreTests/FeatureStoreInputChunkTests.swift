import Foundation
import GRDB
import PropcastModels
@testable import PropcastStore
import PropcastTestSupport
import Testing

/// The store read a chunk at a time (as the coordinator reads it while the batch runs): the
/// same inputs as one load, in player order, stopping when asked, and the 30-game window
/// applied as before (only a player's newest 30 games count, bad ones included).
@Suite struct FeatureStoreInputChunkTests {
    @Test func chunksAddUpToOneLoadInPlayerOrder() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2025-02-07"))
        let whole = try fixture.store.loadInputs(on: date)
        #expect(whole.inputs.count > 7)
        var chunks: [FeatureStore.LoadedInputs] = []
        try fixture.store.forEachInputChunk(on: date, chunkSize: 3) { chunk in
            chunks.append(chunk)
            return true
        }
        #expect(chunks.dropLast().allSatisfy { $0.inputs.count + $0.unreadable.count == 3 })
        #expect(chunks.flatMap(\.inputs) == whole.inputs)
        let players = chunks.flatMap(\.inputs).map(\.player.rawValue)
        #expect(players == players.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        // Stopping after the first chunk reads no further.
        var taken = 0
        try fixture.store.forEachInputChunk(on: date, chunkSize: 3) { _ in
            taken += 1
            return false
        }
        #expect(taken == 1)
    }

    @Test func onlyTheNewestThirtyGamesCountEvenWhenOlderOnesAreUnreadable() throws {
        let fixture = try SeededStoreFixture()
        defer { fixture.directory.remove() }
        let date = try #require(GameDate("2025-02-07"))
        let store = try FeatureStore(path: fixture.path, readOnly: false)
        let inputs = try store.loadInputs(on: date).inputs
        let veteran = try #require(inputs.first { $0.recentGames.count == FeatureStore.recentGameLimit })
        let oldest = try #require(veteran.recentGames.last).gameDate
        let window = date.adding(days: -FeatureStore.recentGameWindowDays).description
        let older = try store.database.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM player_game_summary WHERE player_lookup = ? AND game_date < ? AND game_date >= ?
                """, arguments: [veteran.player.rawValue, oldest.description, window]) ?? 0
        }
        try #require(older > 0, "the player needs a game in the window older than the 30 shipped")
        try store.database.write { db in
            try db.execute(sql: "UPDATE player_game_summary SET points = 'many' WHERE player_lookup = ? AND game_date < ?",
                           arguments: [veteran.player.rawValue, oldest.description])
        }
        let afterOldBad = try store.loadInputs(on: date)
        #expect(afterOldBad.unreadable[veteran.player] == nil)
        #expect(afterOldBad.inputs.first { $0.player == veteran.player } == veteran)
        try store.database.write { db in
            try db.execute(sql: "UPDATE player_game_summary SET points = 'many' WHERE player_lookup = ? AND game_date = ?",
                           arguments: [veteran.player.rawValue, oldest.description])
        }
        let afterNewBad = try store.loadInputs(on: date)
        #expect(afterNewBad.unreadable[veteran.player]?.hasPrefix("player_game_summary.points of \(veteran.player)") == true)
        #expect(afterNewBad.inputs.count == inputs.count - 1)
    }
}
