import PropcastModels

/// The rows of the recent-games query (read by position: player_lookup, game_date, points,
/// opponent_def_rating_last_15, days_rest, is_home, points_avg_last_5, points_avg_season),
/// ordered by player and newest first, taken one player at a time as the feature rows reach
/// that player: the newest `limit` rows of each player count (a bad row among them makes the
/// player unreadable), older ones are passed over without being parsed.
struct RecentGameReader<Rows: StoreRowCursor> {
    struct Problem: Error {
        let reason: String
    }

    private var rows: Rows
    let date: GameDate
    let limit: Int
    /// The player of the cursor's current row, read and not yet taken; the row itself stays
    /// the cursor's until the next `next()` (which reuses it), and is parsed only if it counts.
    private var lookahead: (player: PlayerLookup, row: Rows.Current)?
    private var exhausted = false

    init(rows: Rows, date: GameDate, limit: Int) {
        self.rows = rows
        self.date = date
        self.limit = limit
    }

    /// The games of `player` (newest first), or the first problem with one of its rows.
    /// Rows of players ordered before `player` are passed over.
    mutating func games(of player: PlayerLookup) throws -> Result<[RecentGame], Problem> {
        var games: [RecentGame] = []
        var problem: Problem?
        var position = 0
        while let next = try peek() {
            if next.player.rawValue.utf8.lexicographicallyPrecedes(player.rawValue.utf8) {
                lookahead = nil
                continue
            }
            guard next.player == player else { break }
            position += 1
            if position <= limit {
                switch parse(next.row, player: player) {
                case .success(let game): games.append(game)
                case .failure(let bad): problem = problem ?? bad
                }
            }
            lookahead = nil
        }
        if let problem { return .failure(problem) }
        return .success(games)
    }

    private mutating func peek() throws -> (player: PlayerLookup, row: Rows.Current)? {
        if let lookahead { return lookahead }
        while !exhausted {
            guard let row = try rows.next() else { exhausted = true; break }
            guard case .value(let lookup) = row.text(0) else { continue }  // player_lookup
            lookahead = (PlayerLookup(lookup), row)
            return lookahead
        }
        return nil
    }

    private func parse(_ row: Rows.Current, player: PlayerLookup) -> Result<RecentGame, Problem> {
        func bad(_ column: String, _ what: String) -> Result<RecentGame, Problem> {
            .failure(Problem(reason: "player_game_summary.\(column) of \(player) before \(date) \(what)"))
        }
        guard case .value(let dateText) = row.text(1), let gameDate = GameDate(dateText) else {
            return bad("game_date", "is not a YYYY-MM-DD date")
        }
        guard case .value(let points) = row.real(2) else {
            return bad("points", "on \(gameDate) is NULL or not a number")
        }
        let opponent = row.real(3), rest = row.integer(4)
        let home = row.integer(5), last5 = row.real(6)
        let season = row.real(7)
        if opponent.isWrongType || rest.isWrongType || home.isWrongType || last5.isWrongType || season.isWrongType {
            let column = opponent.isWrongType ? "opponent_def_rating_last_15" : rest.isWrongType ? "days_rest"
                : home.isWrongType ? "is_home" : last5.isWrongType ? "points_avg_last_5" : "points_avg_season"
            return bad(column, "on \(gameDate) holds a value of the wrong type")
        }
        return .success(RecentGame(gameDate: gameDate, points: points, opponentDefRatingLast15: opponent.value,
                                   daysRest: rest.value, isHome: home.value.map { $0 != 0 }, pointsAvgLast5: last5.value,
                                   pointsAvgSeason: season.value))
    }
}
