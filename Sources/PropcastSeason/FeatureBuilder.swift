import PropcastModels

/// What a player's features on one date are computed from: only games before `day`.
struct FeatureInputs {
    var day: Int
    var isHome: Bool
    var state: PlayerState
    var teamGames: [TeamGame]
    var opponentGames: [TeamGame]
    var team: TeamProfile
    var opponent: TeamProfile
}

/// Computes the 25 `v1_baseline_25` features (SYSTEMS.md §1) from history, the way the
/// upstream's phase-4 processors describe them, plus a quality score and data source.
enum FeatureBuilder {
    /// The 25 values in `BaselineFeatures.names` order, rounded to 3 decimals.
    static func features(for inputs: FeatureInputs) -> [Double] {
        let games = inputs.state.games.filter { $0.day < inputs.day }
        let points = games.map(\.points)
        let last10 = games.suffix(10)
        let prior = inputs.state
        let seasonAverage = Rolling.mean(points) ?? prior.projectedPoints
        let last5 = Rolling.mean(points.suffix(5)) ?? prior.projectedPoints
        let last10Average = Rolling.mean(points.suffix(10)) ?? prior.projectedPoints
        let std10 = points.count >= 2 ? (Rolling.std(points.suffix(10)) ?? 0) : 0.25 * prior.projectedPoints + 2
        let minutes10 = Rolling.mean(last10.map(\.minutes)) ?? prior.projectedMinutes
        let daysRest = games.last.map { min(inputs.day - $0.day - 1, 7) } ?? 7
        let gamesLast7 = games.filter { inputs.day - $0.day <= 7 }.count
        let zones = (0..<3).map { zone in
            Rolling.mean(last10.map { $0.zoneShares[zone] }) ?? prior.profile.zoneShares[zone]
        }
        let assisted = Rolling.mean(last10.map(\.assistedRate)) ?? prior.profile.assistedRate
        let usage10 = Rolling.mean(last10.map(\.usage)) ?? prior.profile.usageRate
        let usage3 = Rolling.mean(games.suffix(3).map(\.usage)) ?? usage10
        let usageSpike = games.count >= 3 ? clamp((usage3 - usage10) * 0.5, -3, 3) : 0

        let opponentDef15 = Rolling.shrunkMean(inputs.opponentGames.map(\.defRating), last: 15,
                                               prior: inputs.opponent.defRating)
        let opponentPace15 = Rolling.shrunkMean(inputs.opponentGames.map(\.pace), last: 15, prior: inputs.opponent.pace)
        let teamPace10 = Rolling.shrunkMean(inputs.teamGames.map(\.pace), last: 10, prior: inputs.team.pace)
        let teamOff10 = Rolling.shrunkMean(inputs.teamGames.map(\.offRating), last: 10, prior: inputs.team.offRating)
        var mismatch = 0.0
        for zone in 0..<3 { mismatch += zones[zone] * inputs.opponent.zoneWeakness[zone] * 10 }

        let values: [Double] = [
            last5, last10Average, seasonAverage, std10, minutes10,
            fatigue(daysRest: daysRest, gamesLast7: gamesLast7, minutes10: minutes10),
            clamp(mismatch, -10, 10), clamp((teamPace10 + opponentPace15) / 2 - 100, -3, 3), usageSpike,
            0, 0, 0, 0,
            opponentDef15, opponentPace15, inputs.isHome ? 1 : 0, Double(daysRest), daysRest == 0 ? 1 : 0,
            zones[0], zones[1], zones[2], assisted, teamPace10, teamOff10, usage10,
        ]
        return values.map { ($0 * 1000).rounded() / 1000 }
    }

    /// Composite freshness 40–100 (high = fresh): rest, games in the last 7 days, heavy minutes.
    static func fatigue(daysRest: Int, gamesLast7: Int, minutes10: Double) -> Double {
        var score = 80.0
        switch daysRest {
        case 0: score -= 18
        case 1: break
        case 2: score += 6
        default: score += 10
        }
        score -= Double(max(gamesLast7 - 3, 0)) * 7
        score -= max(minutes10 - 30, 0)
        return clamp(score, 40, 100)
    }

    /// Quality and source: thin history (season start, sparse upstream data) lowers quality.
    static func quality(for inputs: FeatureInputs, rng: inout SeededGenerator) -> (score: Double, source: DataSource) {
        let played = inputs.state.games.count { $0.day < inputs.day }
        let score: Double
        let source: DataSource
        if inputs.state.profile.hasSparseData {
            (score, source) = (clamp(rng.normal(mean: 62, sd: 4), 45, 69), .phase3)
        } else if played == 0 {
            (score, source) = (rng.uniform(55, 70), .phase3)
        } else if played < 3 {
            (score, source) = (rng.uniform(65, 78), .phase3)
        } else if played < 5 {
            (score, source) = (rng.uniform(72, 86), .mixed)
        } else if rng.chance(0.05) {
            (score, source) = (rng.uniform(70, 82), .mixed)
        } else {
            (score, source) = (clamp(rng.normal(mean: 92, sd: 4), 80, 100), .phase4)
        }
        return ((score * 10).rounded() / 10, source)
    }

    private static func clamp(_ x: Double, _ low: Double, _ high: Double) -> Double { min(max(x, low), high) }
}
