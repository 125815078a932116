import PropcastModels
import PropcastStore

/// What `StoreSeeder` generates. Every field has a documented default; the same configuration
/// always produces the same database.
public struct StoreSeedConfiguration: Sendable, Hashable {
    /// Season label `YYYY-YY`, e.g. `2024-25` (regular season 22 Oct 2024 – 13 Apr 2025).
    public var season: String
    /// The largest roster: scale tests need 5,000 players on one date, and a busy date has
    /// about half the league playing, so 30 teams of up to 400 (beyond 15 deep, players get
    /// bench minutes).
    public static let maxPlayersPerTeam = 400

    /// Number of players spread over the teams (default 450, 15 per team; at most
    /// ``maxPlayersPerTeam`` per team).
    public var players: Int
    /// Number of teams (default 30, at most 30).
    public var teams: Int
    /// Seed of the pseudo-random generator (default 42).
    public var seed: UInt64
    /// Last date to generate; nil (default) = the end of the regular season. Tests use a
    /// short range to stay fast.
    public var lastDate: GameDate?

    /// Creates a configuration; defaults: 450 players, 30 teams, seed 42, whole season.
    public init(season: String = "2024-25", players: Int = 450, teams: Int = 30, seed: UInt64 = 42,
                lastDate: GameDate? = nil) {
        self.season = season
        self.players = players
        self.teams = teams
        self.seed = seed
        self.lastDate = lastDate
    }

    /// The first and last day of the regular season named by `season`.
    /// Throws when the label is not `YYYY-YY` with consecutive years, or the counts are unusable.
    public func validatedDates() throws -> ClosedRange<GameDate> {
        let parts = season.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let startYear = Int(parts[0]), let endShort = Int(parts[1]),
              (startYear + 1) % 100 == endShort,
              let first = GameDate(year: startYear, month: 10, day: 22),
              let end = GameDate(year: startYear + 1, month: 4, day: 13)
        else {
            throw StoreError(what: "season '\(season)' is not a label like 2024-25", where: "seed configuration",
                             fix: "pass --season YYYY-YY with consecutive years")
        }
        guard (2...30).contains(teams) else {
            throw StoreError(what: "\(teams) teams requested", where: "seed configuration",
                             fix: "use between 2 and 30 teams")
        }
        guard players >= teams, players <= Self.maxPlayersPerTeam * teams else {
            throw StoreError(what: "\(players) players for \(teams) teams", where: "seed configuration",
                             fix: "use between 1 and \(Self.maxPlayersPerTeam) players per team "
                                 + "(\(teams)...\(Self.maxPlayersPerTeam * teams))")
        }
        let last = min(lastDate ?? end, end)
        guard last >= first else {
            throw StoreError(what: "last date \(last) is before the season start \(first)",
                             where: "seed configuration", fix: "pick a last date inside the season")
        }
        return first...last
    }
}
