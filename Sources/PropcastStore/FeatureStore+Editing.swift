import Foundation
import GRDB
import PropcastModels

/// Changes to a date's rows that benchmarks and drills make on a store of their own (open it
/// with `readOnly: false`). Each call is one transaction.
extension FeatureStore {
    /// The date on or after `earliest` with the most expected players (the earliest of equals).
    public func busiestDate(onOrAfter earliest: GameDate) throws -> GameDate? {
        let text = try read("finding the busiest date") { db in
            try String.fetchOne(db, sql: """
                SELECT game_date FROM upcoming_player_game_context WHERE game_date >= ?
                GROUP BY game_date ORDER BY COUNT(*) DESC, game_date LIMIT 1
                """, arguments: [earliest.description])
        }
        return try text.map { try parseDate($0, column: "upcoming_player_game_context.game_date") }
    }

    /// Tops `date` up to `players` expected players with renamed copies (`name#2`, `name#3`, …)
    /// of its own players: their feature and context rows of that date and their whole game
    /// history. Returns the number of players on the date afterwards.
    @discardableResult
    public func addCopies(on date: GameDate, upTo players: Int) throws -> Int {
        try edit("copying players on \(date)") { db in
            let day = date.description
            func count() throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM upcoming_player_game_context WHERE game_date = ?",
                                 arguments: [day]) ?? 0
            }
            var copy = 2
            while try count() < players {
                let originals = try String.fetchAll(db, sql: """
                    SELECT player_lookup FROM upcoming_player_game_context
                    WHERE game_date = ? AND player_lookup NOT LIKE '%#%' ORDER BY player_lookup LIMIT ?
                    """, arguments: [day, players - (try count())])
                guard !originals.isEmpty else { break }
                for original in originals {
                    try Self.copyRows(of: original, as: "\(original)#\(copy)", on: day, db)
                }
                copy += 1
            }
            return try count()
        }
    }

    /// Replaces every points line list of `date` with `transform(old lines)`.
    public func replaceLines(on date: GameDate, _ transform: ([Double]) -> [Double]) throws {
        try edit("replacing lines on \(date)") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT player_lookup, points_line_values FROM upcoming_player_game_context WHERE game_date = ?
                """, arguments: [date.description])
            for row in rows {
                guard let player: String = row["player_lookup"] else { continue }
                let old = (row["points_line_values"] as String?).flatMap(JSONNumberArray.parse) ?? []
                try db.execute(sql: """
                    UPDATE upcoming_player_game_context SET points_line_values = ? WHERE game_date = ? AND player_lookup = ?
                    """, arguments: [StoreRowWriter.jsonArray(transform(old)), date.description,
                                     player])
            }
        }
    }

    /// Copies `original`'s rows of `day` (features, context) and all its game summaries as `renamed`.
    private static func copyRows(of original: String, as renamed: String, on day: String, _ db: Database) throws {
        for table in ["ml_feature_store_v2", "upcoming_player_game_context", "player_game_summary"] {
            let columns = try db.columns(in: table).map(\.name)
            let select = columns.map { $0 == "player_lookup" ? "?" : $0 }.joined(separator: ", ")
            let wholeHistory = table == "player_game_summary"
            try db.execute(sql: """
                INSERT INTO \(table) (\(columns.joined(separator: ", "))) SELECT \(select) FROM \(table)
                WHERE player_lookup = ? \(wholeHistory ? "" : "AND game_date = ?")
                """, arguments: wholeHistory ? [renamed, original] : [renamed, original, day])
        }
    }
}
