import PropcastModels

/// A worker's answer about one player, decoded from a `PredictResult`: the rows as the
/// engine made them, plus skips and failures by system with their reasons as text.
public struct RemotePlayerPredictions: Sendable, Hashable {
    /// The player, date and game of the request (a result does not repeat them).
    public var player: PlayerLookup
    public var gameDate: GameDate
    public var gameID: GameID
    /// One row per predicting system × line, in the worker's order.
    public var rows: [PredictionRow]
    /// Systems that made no prediction (skipped or failed).
    public var systemSkips: [RemoteSystemSkip]
    /// Non-empty when validation skipped the whole player (every reason).
    public var playerSkipReasons: [String]
    /// Time the worker spent computing, in microseconds.
    public var computeMicros: UInt64

    /// Creates a decoded answer.
    public init(player: PlayerLookup, gameDate: GameDate, gameID: GameID, rows: [PredictionRow],
                systemSkips: [RemoteSystemSkip], playerSkipReasons: [String], computeMicros: UInt64) {
        self.player = player
        self.gameDate = gameDate
        self.gameID = gameID
        self.rows = rows
        self.systemSkips = systemSkips
        self.playerSkipReasons = playerSkipReasons
        self.computeMicros = computeMicros
    }

    /// Whether validation skipped the whole player.
    public var isPlayerSkipped: Bool { !playerSkipReasons.isEmpty }
}

/// A system that produced no prediction, as a worker reported it.
public struct RemoteSystemSkip: Sendable, Hashable {
    /// The system that made no prediction.
    public var systemID: SystemID
    /// The line it applies to; nil = every line.
    public var line: LineValue?
    /// The reason, readable (e.g. `insufficient similar games (found 3, need 5)`).
    public var reason: String
    /// True when the system failed (threw or returned garbage) rather than skipped.
    public var failed: Bool

    /// Creates a skip.
    public init(systemID: SystemID, line: LineValue?, reason: String, failed: Bool) {
        self.systemID = systemID
        self.line = line
        self.reason = reason
        self.failed = failed
    }
}
