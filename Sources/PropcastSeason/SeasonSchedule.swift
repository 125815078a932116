import PropcastModels

/// One scheduled game of the synthetic season.
struct ScheduledGame: Sendable, Hashable {
    var date: GameDate
    var home: Int
    var away: Int
    /// `YYYYMMDD_AWAY_HOME`, the upstream's game id shape.
    var gameID: String
}

/// A believable schedule: each team plays about every other day (≈ 80 games from late October
/// to mid April), with back-to-backs, longer rests, an All-Star break, and balanced home/away.
struct SeasonSchedule: Sendable {
    var games: [ScheduledGame]

    /// Days without games: the All-Star break (mid February) and Thanksgiving / Christmas Eve.
    static func isOffDay(_ date: GameDate) -> Bool {
        (date.month == 2 && (14...19).contains(date.day)) || (date.month == 11 && date.day == 28)
            || (date.month == 12 && date.day == 24)
    }

    init(dates: ClosedRange<GameDate>, teams: [TeamProfile], rng: inout SeededGenerator) {
        var lastPlayed = [Int?](repeating: nil, count: teams.count)
        var homeGames = [Int](repeating: 0, count: teams.count)
        var awayGames = [Int](repeating: 0, count: teams.count)
        var games: [ScheduledGame] = []
        for day in dates.lowerBound.dayNumber...dates.upperBound.dayNumber {
            let date = GameDate(dayNumber: day)
            if Self.isOffDay(date) { continue }
            var available: [Int] = []
            for team in teams.indices {
                let gap = lastPlayed[team].map { day - $0 } ?? 3
                let wants: Double = switch gap {
                case 1: 0.2    // back-to-back
                case 2: 0.62
                case 3: 0.92
                default: 0.97
                }
                if rng.chance(wants) { available.append(team) }
            }
            rng.shuffle(&available)
            var index = 0
            while index + 1 < available.count {
                let a = available[index], b = available[index + 1]
                index += 2
                // The team with fewer home games so far hosts; ties broken by a coin flip.
                let aHosts = homeGames[a] - awayGames[a] < homeGames[b] - awayGames[b]
                    || (homeGames[a] - awayGames[a] == homeGames[b] - awayGames[b] && rng.chance(0.5))
                let (home, away) = aHosts ? (a, b) : (b, a)
                homeGames[home] += 1
                awayGames[away] += 1
                lastPlayed[home] = day
                lastPlayed[away] = day
                let stamp = String(date.description.filter { $0 != "-" })
                games.append(ScheduledGame(date: date, home: home, away: away,
                                           gameID: "\(stamp)_\(teams[away].abbreviation)_\(teams[home].abbreviation)"))
            }
        }
        self.games = games
    }
}
