/// Identifies one player's game on one date: the key under which actual points are looked up
/// when predictions are graded.
public struct GradingKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The player.
    public var player: PlayerLookup
    /// The date the game was played.
    public var gameDate: GameDate

    /// Creates a key.
    public init(player: PlayerLookup, gameDate: GameDate) {
        self.player = player
        self.gameDate = gameDate
    }

    /// `player@YYYY-MM-DD`.
    public var description: String { "\(player)@\(gameDate)" }

    /// Orders by date, then player.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.gameDate, lhs.player) < (rhs.gameDate, rhs.player)
    }
}
