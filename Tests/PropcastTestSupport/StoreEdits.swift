import Foundation
import GRDB

/// Changes to a store as the feature-store writer makes them, for tests of what a re-run or a
/// refresh does with them.
public enum StoreEdits {
    /// Moves every line of the first `count` players of `date` (by player) up by `points`, so
    /// that all their old lines are withdrawn; the players changed.
    public static func moveLines(storePath: String, date: String, players count: Int, by points: Double) throws -> [String] {
        let queue = try DatabaseQueue(path: storePath)
        defer { try? queue.close() }
        return try queue.write { db in
            let players = try String.fetchAll(db, sql: """
                SELECT player_lookup FROM upcoming_player_game_context WHERE game_date = ? ORDER BY player_lookup LIMIT ?
                """, arguments: [date, count])
            for player in players {
                let text = try String.fetchOne(db, sql: """
                    SELECT points_line_values FROM upcoming_player_game_context WHERE game_date = ? AND player_lookup = ?
                    """, arguments: [date, player]) ?? "[]"
                let lines = try JSONDecoder().decode([Double].self, from: Data(text.utf8)).map { $0 + points }
                try db.execute(sql: """
                    UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?
                    """, arguments: [String(decoding: try JSONEncoder().encode(lines), as: UTF8.self), date, player])
            }
            return players
        }
    }
}
