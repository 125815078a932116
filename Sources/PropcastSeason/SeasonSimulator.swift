import PropcastModels
import PropcastStore

/// Plays the synthetic season day by day: for every game date it first computes each
/// participating player's features from games strictly before that date (no leakage), then
/// draws the game's outcome from the latent model, then adds the outcome to the history.
struct SeasonSimulator {
    private var rng: SeededGenerator
    private let roster: LeagueRoster
    private let schedule: SeasonSchedule
    private let firstDay: Int
    private var players: [PlayerState]
    private var teamGames: [[TeamGame]]
    private var playersByTeam: [[Int]]

    init(configuration: StoreSeedConfiguration) throws {
        let dates = try configuration.validatedDates()
        var rng = SeededGenerator(seed: configuration.seed)
        let seasonDays = dates.upperBound.dayNumber - dates.lowerBound.dayNumber + 1
        let roster = LeagueRoster(teamCount: configuration.teams, playerCount: configuration.players,
                                  seasonDays: seasonDays, rng: &rng)
        self.schedule = SeasonSchedule(dates: dates, teams: roster.teams, rng: &rng)
        self.players = roster.players.map { profile in
            PlayerState(profile: profile,
                        projectedPoints: profile.pointsPer36 * profile.minutesMean / 36 * rng.normal(mean: 1, sd: 0.12),
                        projectedMinutes: profile.minutesMean + rng.normal(sd: 2.5))
        }
        self.roster = roster
        self.rng = rng
        self.firstDay = dates.lowerBound.dayNumber
        self.teamGames = Array(repeating: [], count: roster.teams.count)
        self.playersByTeam = Array(repeating: [], count: roster.teams.count)
        for (index, player) in roster.players.enumerated() { playersByTeam[player.team].append(index) }
    }

    /// Number of players in the league.
    var playerCount: Int { players.count }

    /// Runs the whole season, handing each game date's rows to `consume` in date order.
    mutating func run(_ consume: (SeasonDay) throws -> Void) rethrows {
        var index = 0
        let games = schedule.games
        while index < games.count {
            let date = games[index].date
            var day = SeasonDay(date: date)
            while index < games.count, games[index].date == date {
                play(games[index], into: &day)
                index += 1
            }
            try consume(day)
        }
    }

    private mutating func play(_ game: ScheduledGame, into day: inout SeasonDay) {
        let dayNumber = game.date.dayNumber
        let pace = (roster.teams[game.home].pace + roster.teams[game.away].pace) / 2 + rng.normal(sd: 1.8)
        // A team's good or bad night moves all its scorers together.
        let homeNight = rng.normal(sd: 0.045), awayNight = rng.normal(sd: 0.045)
        let nights = [game.home: homeNight, game.away: awayNight]
        for (team, opponent, isHome) in [(game.home, game.away, true), (game.away, game.home, false)] {
            for player in playersByTeam[team] {
                playPlayer(player, team: team, opponent: opponent, isHome: isHome, game: game, gamePace: pace,
                           teamNight: nights[team] ?? 0, into: &day)
            }
        }
        // Team ratings after the players, so features above saw only earlier games.
        for (team, opponent) in [(game.home, game.away), (game.away, game.home)] {
            let base = roster.teams[team].offRating + (roster.teams[opponent].defRating - 110) * 0.9
            let offense = base * (1 + (nights[team] ?? 0))
            let opponentBase = roster.teams[opponent].offRating + (roster.teams[team].defRating - 110) * 0.9
            let defense = opponentBase * (1 + (nights[opponent] ?? 0))
            teamGames[team].append(TeamGame(day: dayNumber, pace: pace, offRating: offense, defRating: defense))
        }
    }

    private mutating func playPlayer(_ index: Int, team: Int, opponent: Int, isHome: Bool, game: ScheduledGame,
                                     gamePace: Double, teamNight: Double, into day: inout SeasonDay) {
        let dayNumber = game.date.dayNumber
        let profile = players[index].profile
        if let injury = profile.injury, injury.contains(dayNumber - firstDay) { return }
        let inputs = FeatureInputs(day: dayNumber, isHome: isHome, state: players[index],
                                   teamGames: teamGames[team], opponentGames: teamGames[opponent],
                                   team: roster.teams[team], opponent: roster.teams[opponent])
        let features = FeatureBuilder.features(for: inputs)
        let quality = FeatureBuilder.quality(for: inputs, rng: &rng)
        let teamAbbr = roster.teams[team].abbreviation, opponentAbbr = roster.teams[opponent].abbreviation
        day.features.append(FeatureRecord(player: profile.lookup, gameID: game.gameID, values: features,
                                          quality: quality.score, dataSource: quality.source,
                                          isProductionReady: quality.score >= 70))

        let expected = expectedPoints(index, opponent: opponent, isHome: isHome, gamePace: gamePace,
                                      teamNight: teamNight, daysRest: Int(features[16]))
        let bookmaker = 0.5 * (0.5 * features[0] + 0.3 * features[1] + 0.2 * features[2]) + 0.5 * expected.points
            + rng.normal(sd: 1.2)
        day.contexts.append(ContextRecord(player: profile.lookup, gameID: game.gameID, team: teamAbbr,
                                          opponent: opponentAbbr, isHome: isHome, lines: lines(around: bookmaker)))

        if rng.chance(profile.missChance) { return }  // listed, then did not play
        let noiseSD = (1.2 + 0.2 * expected.points) * profile.volatility
        let points = max(0, (expected.points + rng.normal(sd: noiseSD)).rounded())
        var shares = profile.zoneShares.map { max($0 + rng.normal(sd: 0.035), 0.02) }
        let total = shares.reduce(0, +)
        shares = shares.map { $0 / total }
        let usage = min(max(profile.usageRate * (1 + players[index].usageShock) + rng.normal(sd: 1.2), 3), 45)
        players[index].games.append(PlayedGame(day: dayNumber, points: points, minutes: expected.minutes, usage: usage,
                                               zoneShares: shares,
                                               assistedRate: min(max(profile.assistedRate + rng.normal(sd: 5), 0), 100)))
        day.results.append(ResultRecord(player: profile.lookup, gameID: game.gameID, team: teamAbbr,
                                        opponent: opponentAbbr, isHome: isHome, daysRest: Int(features[16]),
                                        minutes: expected.minutes, points: points,
                                        opponentDefRatingLast15: features[13], pointsAvgLast5: features[0],
                                        pointsAvgSeason: features[2]))
    }

    /// The latent model: ability × minutes, opposition defence and zone fit, pace, venue, rest,
    /// the team's night, and the player's usage shock and form (both AR(1), so streaks persist).
    private mutating func expectedPoints(_ index: Int, opponent: Int, isHome: Bool, gamePace: Double,
                                         teamNight: Double, daysRest: Int) -> (points: Double, minutes: Double) {
        let profile = players[index].profile
        let rival = roster.teams[opponent]
        players[index].usageShock = 0.55 * players[index].usageShock + rng.normal(sd: 0.06)
        players[index].form = 0.85 * players[index].form + rng.normal(sd: 0.035)
        let restFactor: Double = daysRest == 0 ? 0.94 : (daysRest >= 2 ? 1.02 : 1.0)
        let minutes = min(max(profile.minutesMean * (daysRest == 0 ? 0.95 : 1) + rng.normal(sd: 3.2), 3), 46)
        var zoneFit = 0.0
        for zone in 0..<3 { zoneFit += profile.zoneShares[zone] * rival.zoneWeakness[zone] * 0.05 }
        let defence = 1 + (rival.defRating - 110) * 0.012 + zoneFit
        let points = profile.pointsPer36 * minutes / 36 * defence * (gamePace / 100) * (isHome ? 1.025 : 0.985)
            * restFactor * (1 + teamNight) * (1 + players[index].usageShock) * (1 + players[index].form)
        return (max(points, 0), (minutes * 10).rounded() / 10)
    }

    /// One to five x.5 lines around the bookmaker's estimate, ascending.
    private mutating func lines(around estimate: Double) -> [Double] {
        let main = max(estimate.rounded(.down), 0) + 0.5
        let count = [1, 1, 2, 3, 3, 4, 5][rng.integer(below: 7)]
        let offsets: [Double] = [0, -1, 1, -2, 2]
        return offsets.prefix(count).map { main + $0 }.filter { $0 >= 0.5 }.sorted()
    }
}
