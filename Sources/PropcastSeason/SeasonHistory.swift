/// One game a player actually played, as later features see it.
struct PlayedGame: Sendable, Hashable {
    var day: Int
    var points: Double
    var minutes: Double
    var usage: Double
    /// Shot shares (paint, mid-range, three) in that game.
    var zoneShares: [Double]
    var assistedRate: Double
}

/// One game of a team: pace and ratings (points per 100 possessions scored / allowed).
struct TeamGame: Sendable, Hashable {
    var day: Int
    var pace: Double
    var offRating: Double
    var defRating: Double
}

/// What the simulation knows about a player before the season: the preseason projection used
/// while there is no history yet, and the game-to-game latent state.
struct PlayerState: Sendable {
    var profile: PlayerProfile
    var games: [PlayedGame] = []
    var projectedPoints: Double
    var projectedMinutes: Double
    /// AR(1) usage shock (fraction), carried from game to game so usage spikes persist.
    var usageShock: Double = 0
    /// AR(1) form (fraction): hot and cold streaks.
    var form: Double = 0
}
