import Foundation
import GRDB
import PropcastModels
import PropcastStore

extension BenchBatchCommand {
    /// Seeds the largest league the generator makes, picks its busiest date, tops it up to
    /// `players` with renamed copies of its players (features and history), and gives every
    /// player on it 5 lines.
    func prepareStore(in directory: String) throws -> (String, GameDate, [PlayerInput]) {
        let path = "\(directory)/store.sqlite"
        _ = try StoreSeeder(configuration: StoreSeedConfiguration(players: 600, lastDate: GameDate("2024-12-15")))
            .seed(path: path)
        let store = try FeatureStore(path: path, readOnly: false)
        let date: GameDate = try store.database.write { db in
            let busiest = try String.fetchOne(db, sql: """
                SELECT game_date FROM upcoming_player_game_context WHERE game_date >= '2024-11-15'
                GROUP BY game_date ORDER BY COUNT(*) DESC, game_date LIMIT 1
                """) ?? "2024-12-10"
            var copy = 2
            while try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?",
                                   arguments: [busiest]) ?? 0 < players {
                let missing = players - (try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?
                    """, arguments: [busiest]) ?? 0)
                let originals = try String.fetchAll(db, sql: """
                    SELECT player_lookup FROM upcoming_player_game_context WHERE game_date = ? AND player_lookup NOT LIKE '%#%'
                    ORDER BY player_lookup LIMIT ?
                    """, arguments: [busiest, missing])
                for original in originals {
                    let renamed = "\(original)#\(copy)"
                    for table in ["ml_feature_store_v2", "upcoming_player_game_context", "player_game_summary"] {
                        let columns = try db.columns(in: table).map(\.name)
                        let select = columns.map { $0 == "player_lookup" ? "?" : $0 }.joined(separator: ", ")
                        let dateFilter = table == "player_game_summary" ? "" : "AND game_date = ?"
                        let arguments: StatementArguments = table == "player_game_summary"
                            ? [renamed, original] : [renamed, original, busiest]
                        try db.execute(sql: """
                            INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(select) FROM \(table)
                            WHERE player_lookup = ? \(dateFilter)
                            """, arguments: arguments)
                    }
                }
                copy += 1
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT player_lookup, points_line_values FROM upcoming_player_game_context WHERE game_date = ?
                """, arguments: [busiest])
            for row in rows {
                let existing = try JSONDecoder().decode([Double].self, from: Data((row["points_line_values"] as String).utf8))
                let center = max(existing.first ?? 15.5, 4.5)  // five lines around it, all valid
                let five = (-2...2).map { center + Double($0) }
                try db.execute(sql: """
                    UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?
                    """, arguments: [String(decoding: try JSONEncoder().encode(five), as: UTF8.self), busiest,
                                     row["player_lookup"] as String])
            }
            return GameDate(busiest) ?? GameDate("2024-12-10")!
        }
        return (path, date, try store.playerInputs(on: date))
    }

}
