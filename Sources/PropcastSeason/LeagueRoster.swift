/// A team's latent strengths in the synthetic league.
struct TeamProfile: Sendable, Hashable {
    var abbreviation: String
    /// Points allowed per 100 possessions (110 ≈ league average; lower = better defence).
    var defRating: Double
    /// Points scored per 100 possessions.
    var offRating: Double
    /// Possessions per 48 minutes.
    var pace: Double
    /// How leaky the defence is per shot zone (paint, mid-range, three), each about −1…1.
    var zoneWeakness: [Double]
}

/// A player's latent ability and habits in the synthetic league.
struct PlayerProfile: Sendable, Hashable {
    var lookup: String
    var team: Int
    /// Points per 36 minutes at average opposition.
    var pointsPer36: Double
    var minutesMean: Double
    /// Usage rate, percent.
    var usageRate: Double
    /// Shot shares (paint, mid-range, three), summing to 1.
    var zoneShares: [Double]
    /// Percent of made shots that were assisted.
    var assistedRate: Double
    /// Multiplies the game-to-game noise (0.7 steady … 1.4 streaky).
    var volatility: Double
    /// Chance of missing a single game (rest, minor knock).
    var missChance: Double
    /// Upstream data for this player is thin: quality stays below 70 all season.
    var hasSparseData: Bool
    /// Day offsets (from the season start) of a longer injury absence, if any.
    var injury: ClosedRange<Int>?
}

/// The synthetic league: teams and players, drawn from the seed.
struct LeagueRoster: Sendable {
    static let abbreviations = ["ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW",
                                "HOU", "IND", "LAC", "LAL", "MEM", "MIA", "MIL", "MIN", "NOP", "NYK",
                                "OKC", "ORL", "PHI", "PHX", "POR", "SAC", "SAS", "TOR", "UTA", "WAS"]
    private static let firstNames = ["aaron", "ben", "cade", "darius", "evan", "franz", "gary", "jalen", "isaac",
                                     "jamal", "kevin", "luka", "marcus", "nikola", "obi", "paolo", "quentin",
                                     "rudy", "scottie", "tyrese", "victor", "walker", "xavier", "zach", "andre",
                                     "brandon", "chris", "dillon", "jaren", "tre", "keegan", "lamelo", "mikal",
                                     "norman", "onyeka", "payton", "deandre", "shai", "trey", "devin"]
    private static let lastNames = ["adams", "brown", "carter", "davis", "edwards", "fox", "green", "harris",
                                    "irving", "jackson", "king", "lopez", "mitchell", "nance", "okoro", "porter",
                                    "quickley", "randle", "smith", "thompson", "umude", "vassell", "williams",
                                    "young", "zeller", "allen", "barnes", "collins", "dosunmu", "ellis", "flynn",
                                    "gordon", "holiday", "ingram", "johnson", "kuminga", "lively", "murray",
                                    "nembhard", "oubre"]

    var teams: [TeamProfile]
    var players: [PlayerProfile]

    /// Draws `teamCount` teams and `playerCount` players spread evenly over them.
    init(teamCount: Int, playerCount: Int, seasonDays: Int, rng: inout SeededGenerator) {
        teams = (0..<teamCount).map { index in
            var weakness = (0..<3).map { _ in rng.normal(sd: 0.45) }
            weakness = weakness.map { min(max($0, -1), 1) }
            return TeamProfile(abbreviation: Self.abbreviations[index],
                               defRating: min(max(rng.normal(mean: 110, sd: 3.2), 103), 118),
                               offRating: min(max(rng.normal(mean: 110.5, sd: 3.5), 104), 118),
                               pace: min(max(rng.normal(mean: 99.5, sd: 1.8), 95.5), 104), zoneWeakness: weakness)
        }
        var usedNames = Set<String>()
        players = (0..<playerCount).map { index in
            let team = index % teamCount
            let depth = index / teamCount  // 0 = best player on the team
            return Self.drawPlayer(team: team, depth: depth, seasonDays: seasonDays, usedNames: &usedNames, rng: &rng)
        }
    }

    private static func drawPlayer(team: Int, depth: Int, seasonDays: Int, usedNames: inout Set<String>,
                                   rng: inout SeededGenerator) -> PlayerProfile {
        var name = firstNames[rng.integer(below: firstNames.count)] + lastNames[rng.integer(below: lastNames.count)]
        if usedNames.contains(name) {
            var suffix = 2
            while usedNames.contains("\(name)\(suffix)") { suffix += 1 }
            name = "\(name)\(suffix)"
        }
        usedNames.insert(name)
        let (per36, minutes): (Double, Double)
        switch depth {
        case 0..<2: (per36, minutes) = (rng.uniform(20, 32), rng.uniform(32, 37))
        case 2..<5: (per36, minutes) = (rng.uniform(13, 22), rng.uniform(27, 33))
        case 5..<9: (per36, minutes) = (rng.uniform(10, 17), rng.uniform(17, 26))
        default: (per36, minutes) = (rng.uniform(7, 13), rng.uniform(7, 15))
        }
        let usage = min(max(10 + (per36 - 7) * 0.75 + rng.normal(sd: 1.8), 8), 35)
        // Shares inside the typical ranges of SYSTEMS.md §1: paint 0.2–0.65, mid 0.12–0.22, three 0.13–0.55.
        let mid = rng.uniform(0.12, 0.22)
        let paint = rng.uniform(max(0.2, 0.45 - mid), min(0.65, 0.87 - mid))
        let shares = [paint, mid, 1 - paint - mid]
        var injury: ClosedRange<Int>?
        if rng.chance(0.18) {
            let start = rng.integer(below: max(seasonDays, 1))
            injury = start...(start + 5 + rng.integer(below: 20))
        }
        return PlayerProfile(lookup: name, team: team, pointsPer36: per36, minutesMean: minutes, usageRate: usage,
                             zoneShares: shares, assistedRate: rng.uniform(42, 78), volatility: rng.uniform(0.7, 1.4),
                             missChance: rng.uniform(0.01, 0.06), hasSparseData: rng.chance(0.02), injury: injury)
    }
}
