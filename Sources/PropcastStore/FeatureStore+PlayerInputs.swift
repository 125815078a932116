import Foundation
import GRDB
import PropcastModels

extension FeatureStore {
    /// Most recent games shipped per player (the similarity system's history).
    public static let recentGameLimit = 30
    /// Only games within this many days before the game date count as recent.
    public static let recentGameWindowDays = 90

    /// The inputs of every player with a readable row on `date`, and the players whose rows
    /// cannot be read with the reason (naming the column, the date and the player): one bad
    /// row skips one player, never the date.
    public struct LoadedInputs: Sendable {
        /// Readable players, sorted by player.
        public var inputs: [PlayerInput]
        /// Unreadable players → why.
        public var unreadable: [PlayerLookup: String]
    }

    /// Like ``loadInputs(on:players:)`` but strict: throws ``StoreError`` naming the first
    /// unreadable row (for tools that predict named players, where a silent skip would mislead).
    public func playerInputs(on date: GameDate, players: [PlayerLookup]? = nil) throws -> [PlayerInput] {
        let loaded = try loadInputs(on: date, players: players)
        if let (player, reason) = loaded.unreadable.min(by: { $0.key < $1.key }) {
            throw StoreError(what: reason, where: "\(path) on \(date) for \(player)", fix: "repair or regenerate the store")
        }
        return loaded.inputs
    }

    /// Everything needed to predict each player with features on `date`: the named features,
    /// quality and source, the lines and game id from the upcoming context, and up to
    /// ``recentGameLimit`` games strictly before `date` (within ``recentGameWindowDays`` days),
    /// newest first. Sorted by player. A row that cannot be read (bad JSON, wrong feature count,
    /// NULLs, a bad date in a past game) puts its player in ``LoadedInputs/unreadable``.
    /// Throws ``StoreError`` only when the store cannot be queried.
    /// - Parameter players: restrict to these players (nil = everyone with features on the date).
    public func loadInputs(on date: GameDate, players: [PlayerLookup]? = nil) throws -> LoadedInputs {
        var all = LoadedInputs(inputs: [], unreadable: [:])
        try forEachInputChunk(on: date, players: players, chunkSize: 1024) { chunk in
            all.inputs += chunk.inputs
            all.unreadable.merge(chunk.unreadable) { first, _ in first }
            return true
        }
        return all
    }

    /// ``loadInputs(on:players:)`` in chunks of up to `chunkSize` players, in player order, as
    /// the rows are read: `body` gets each chunk and returns false to stop early. Two queries in
    /// one read transaction (one for features + context, one for recent games, both ordered by
    /// player and merged), so a date never has to be in memory at once; the transaction stays
    /// open (a consistent snapshot) until the last chunk is taken or `body` stops.
    public func forEachInputChunk(on date: GameDate, players: [PlayerLookup]? = nil, chunkSize: Int,
                                  _ body: (LoadedInputs) throws -> Bool) throws {
        if case .postgres(let connection) = backend {
            return try postgresInputChunks(connection, on: date, players: players, chunkSize: chunkSize, body)
        }
        let filter = try players.map { list -> String in
            String(decoding: try JSONEncoder().encode(list.map(\.rawValue)), as: UTF8.self)
        }
        let playerClause = filter == nil ? "" : "AND f.player_lookup IN (SELECT value FROM json_each(:players))"
        var arguments: [String: (any DatabaseValueConvertible)?] = [
            "date": date.description, "since": date.adding(days: -Self.recentGameWindowDays).description,
        ]
        if let filter { arguments["players"] = filter }
        let statementArguments = StatementArguments(arguments)
        try read("loading player inputs for \(date)") { db in
            // Ordered by the primary key (player, date): rows stream per player without a
            // sort of the date's history; the reader keeps each player's newest `limit`.
            var recent = RecentGameReader(rows: try SQLiteRowCursor(db, sql: """
                SELECT s.player_lookup, s.game_date, s.points, s.opponent_def_rating_last_15, s.days_rest, s.is_home,
                       s.points_avg_last_5, s.points_avg_season
                FROM player_game_summary s
                WHERE s.game_date < :date AND s.game_date >= :since
                  AND s.player_lookup IN (
                      SELECT f.player_lookup FROM ml_feature_store_v2 f WHERE f.game_date = :date \(playerClause))
                ORDER BY s.player_lookup, s.game_date DESC
                """, arguments: statementArguments), date: date, limit: Self.recentGameLimit)
            var featureRows = try SQLiteRowCursor(db, sql: """
                SELECT f.player_lookup, f.game_id, f.feature_names, f.features, f.feature_quality_score,
                       f.data_source, u.game_id AS context_game_id, u.points_line_values
                FROM ml_feature_store_v2 f
                LEFT JOIN upcoming_player_game_context u
                       ON u.game_date = f.game_date AND u.player_lookup = f.player_lookup
                WHERE f.game_date = :date \(playerClause)
                ORDER BY f.player_lookup
                """, arguments: statementArguments)
            try PlayerInputAssembler.assemble(date: date, features: &featureRows, recentGames: &recent,
                                              chunkSize: chunkSize, body)
        }
    }
}
