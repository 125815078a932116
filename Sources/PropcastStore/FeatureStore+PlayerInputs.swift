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
            var recent = RecentGameReader(rows: try Row.fetchCursor(db, sql: """
                SELECT s.player_lookup, s.game_date, s.points, s.opponent_def_rating_last_15, s.days_rest, s.is_home,
                       s.points_avg_last_5, s.points_avg_season
                FROM player_game_summary s
                WHERE s.game_date < :date AND s.game_date >= :since
                  AND s.player_lookup IN (
                      SELECT f.player_lookup FROM ml_feature_store_v2 f WHERE f.game_date = :date \(playerClause))
                ORDER BY s.player_lookup, s.game_date DESC
                """, arguments: statementArguments), date: date, limit: Self.recentGameLimit)
            let featureRows = try Row.fetchCursor(db, sql: """
                SELECT f.player_lookup, f.game_id, f.feature_names, f.features, f.feature_quality_score,
                       f.data_source, u.game_id AS context_game_id, u.points_line_values
                FROM ml_feature_store_v2 f
                LEFT JOIN upcoming_player_game_context u
                       ON u.game_date = f.game_date AND u.player_lookup = f.player_lookup
                WHERE f.game_date = :date \(playerClause)
                ORDER BY f.player_lookup
                """, arguments: statementArguments)
            var parser = FeatureRowParser(date: date)
            var chunk = LoadedInputs(inputs: [], unreadable: [:])
            chunk.inputs.reserveCapacity(chunkSize)
            while let row = try featureRows.next() {
                switch parser.parse(row) {
                case .success(var input):
                    switch try recent.games(of: input.player) {
                    case .success(let games):
                        input.recentGames = games
                        chunk.inputs.append(input)
                    case .failure(let problem):
                        chunk.unreadable[input.player] = problem.reason
                    }
                case .failure(let problem):
                    _ = try recent.games(of: problem.player)
                    chunk.unreadable[problem.player] = problem.reason
                }
                if chunk.inputs.count + chunk.unreadable.count >= chunkSize {
                    guard try body(chunk) else { return }
                    chunk = LoadedInputs(inputs: [], unreadable: [:])
                    chunk.inputs.reserveCapacity(chunkSize)
                }
            }
            if !chunk.inputs.isEmpty || !chunk.unreadable.isEmpty { _ = try body(chunk) }
        }
    }
}

/// Turns one joined features + context row into a ``PlayerInput`` (without recent games),
/// caching the parsed `feature_names` array, which is the same text on almost every row.
/// A row that cannot be read gives the player and a reason naming the column and the date.
private struct FeatureRowParser {
    struct Problem: Error {
        let player: PlayerLookup
        let reason: String
    }

    /// Lines a request may carry (the wire limit, ``ValidationConfiguration/maximumLineCount``).
    static let maximumLines = ValidationConfiguration().maximumLineCount

    let date: GameDate
    private var cachedNamesText = ""
    private var cachedNames: [String] = []
    private let decoder = JSONDecoder()

    init(date: GameDate) {
        self.date = date
    }

    /// Reads a row of the features query by column position: player_lookup, game_id,
    /// feature_names, features, feature_quality_score, data_source, context_game_id,
    /// points_line_values.
    mutating func parse(_ row: Row) -> Result<PlayerInput, Problem> {
        guard case .value(let lookup) = Cell<String>(row, 0) else {
            return .failure(Problem(player: PlayerLookup(""), reason: "ml_feature_store_v2.player_lookup on \(date) is NULL"))
        }
        let player = PlayerLookup(lookup)
        func problem(_ column: String, _ what: String) -> Result<PlayerInput, Problem> {
            .failure(Problem(player: player, reason: "ml_feature_store_v2.\(column) of \(player) on \(date) \(what)"))
        }
        guard case .value(let namesText) = Cell<String>(row, 2) else {
            return problem("feature_names", "is NULL or not text")
        }
        if namesText != cachedNamesText {
            guard let names = decode([String].self, namesText) else {
                return problem("feature_names", "is not a JSON array of strings: \(namesText.prefix(80))")
            }
            cachedNames = names
            cachedNamesText = namesText
        }
        let valuesCell = Cell<String>(row, 3)
        guard case .value(let valuesText) = valuesCell, let values = JSONNumberArray.parse(valuesText) else {
            return problem("features", "is not a JSON array of numbers: \(valuesCell.value?.prefix(80) ?? "NULL")")
        }
        guard values.count == cachedNames.count else {
            return problem("features", "holds \(values.count) numbers for \(cachedNames.count) feature_names")
        }
        guard case .value(let quality) = Cell<Double>(row, 4) else {
            return problem("feature_quality_score", "is NULL or not a number")
        }
        let sourceText = Cell<String>(row, 5).value
        guard let source = sourceText.flatMap(DataSource.init(rawValue:)) else {
            return problem("data_source", "is '\(sourceText ?? "NULL")', not phase4, phase3, mixed or mock")
        }
        let linesCell = Cell<String>(row, 7)
        var lines: [Double] = []
        func badLines(_ what: String) -> Result<PlayerInput, Problem> {
            .failure(Problem(player: player, reason: "upcoming_player_game_context.points_line_values of \(player) on \(date) \(what)"))
        }
        switch linesCell {
        case .null: break
        case .wrongType: return badLines("is not text")
        case .value(let text):
            guard let parsed = JSONNumberArray.parse(text) else {
                return badLines("is not a JSON array of numbers: \(text.prefix(80))")
            }
            guard parsed.count <= Self.maximumLines else {
                return badLines("holds \(parsed.count) lines, at most \(Self.maximumLines) are allowed")
            }
            lines = parsed
        }
        guard let gameID = Cell<String>(row, 6).value ?? Cell<String>(row, 1).value else {
            return problem("game_id", "is NULL or not text")
        }
        return .success(PlayerInput(player: player, gameDate: date, gameID: GameID(gameID),
                                    features: Dictionary(zip(cachedNames, values), uniquingKeysWith: { first, _ in first }),
                                    featureQualityScore: quality, dataSource: source,
                                    lineValues: lines.map { LineValue($0) }, recentGames: []))
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        try? decoder.decode(type, from: Data(text.utf8))
    }
}

/// One column of a fetched row, read without GRDB's trapping conversions: a value of the
/// wanted type, NULL, or a value of another type.
enum Cell<T: DatabaseValueConvertible> {
    case value(T)
    case null
    case wrongType

    /// The cell at `index` (by position: looking columns up by name costs more than reading them).
    init(_ row: Row, _ index: Int) {
        let stored: DatabaseValue = row[index]
        if stored.isNull {
            self = .null
        } else if let value = T.fromDatabaseValue(stored) {
            self = .value(value)
        } else {
            self = .wrongType
        }
    }

    var value: T? {
        if case .value(let value) = self { return value }
        return nil
    }

    var isWrongType: Bool {
        if case .wrongType = self { return true }
        return false
    }
}
