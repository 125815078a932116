import Foundation
import GRDB
import PropcastModels
import PropcastSeason
import PropcastStore

/// A small seeded store in a temporary directory: 40 players on 4 teams from the season start
/// to `lastDate` (default mid February, long enough for the 30-game and 90-day limits to bite).
public struct SeededStoreFixture {
    public let directory: TemporaryDirectory
    public let path: String
    /// What the seeded store holds.
    public let summary: StoreInfo
    public let store: FeatureStore
    /// How it was seeded (seed another store with it for the same rows).
    public let configuration: StoreSeedConfiguration

    public init(seed: UInt64 = 7, players: Int = 40, teams: Int = 4, lastDate: String = "2025-02-10",
         name: String = "store.sqlite") throws {
        directory = try TemporaryDirectory(prefix: "store")
        path = directory.file(name)
        configuration = StoreSeedConfiguration(season: "2024-25", players: players, teams: teams, seed: seed,
                                               lastDate: GameDate(lastDate))
        summary = try StoreSeeder(configuration: configuration).seed(path: path)
        store = try FeatureStore(path: path)
    }

    /// Every table's rows as text, tables by name, rows in primary-key order.
    public static func dump(path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var lines: [String] = []
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
            for table in tables {
                lines.append("# \(table)")
                let key = try db.primaryKey(table).columns.joined(separator: ", ")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(key)") {
                    lines.append(row.description)
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
