/// Settings of ``PredictionEngine``.
public struct EngineConfiguration: Sendable, Hashable {
    /// Input validation (minimum quality 70, at most 5 lines, sane-range checks on).
    public var validation: ValidationConfiguration

    /// Creates a configuration; defaults as documented on each field.
    public init(validation: ValidationConfiguration = .init()) {
        self.validation = validation
    }
}

/// A system that produced no prediction for the player, and why (applies to every line:
/// no system's ability to predict depends on the line).
public struct SystemSkip: Sendable, Hashable {
    /// The system that made no prediction.
    public var systemID: SystemID
    /// Why.
    public var reason: SkipReason

    /// Creates a skip.
    public init(systemID: SystemID, reason: SkipReason) {
        self.systemID = systemID
        self.reason = reason
    }
}

/// A system that failed for the player — it threw, or returned NaN or out-of-range numbers.
/// The other systems still answer; a failed base system is left out of the ensemble.
public struct SystemFailure: Sendable, Hashable {
    /// What kind of failure, a small fixed set (the `reason` label of the worker's failure metric).
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The system returned points outside 0–60 or a confidence outside 0–100 (or not a number).
        case invalidOutput = "invalid_output"
        /// The system threw (e.g. a required feature is missing).
        case error
    }

    /// The system that failed.
    public var systemID: SystemID
    /// What went wrong, readable.
    public var reason: String
    /// Which kind of failure it was.
    public var kind: Kind

    /// Creates a failure.
    public init(systemID: SystemID, reason: String, kind: Kind = .error) {
        self.systemID = systemID
        self.reason = reason
        self.kind = kind
    }
}

/// Everything the engine says about one player: either a player-level validation skip with
/// every reason, or the prediction rows plus per-system skips and failures.
///
/// "No prediction" outcomes (similarity with no or too few similar games, XGBoost with an
/// invalid vector, ensemble with fewer than 2 base systems) are ``skips``, never rows.
public struct PlayerPredictions: Sendable, Hashable {
    /// The player predicted.
    public var player: PlayerLookup
    /// The game's date.
    public var gameDate: GameDate
    /// The game.
    public var gameID: GameID
    /// Non-empty ⇔ the player was skipped before any system ran (then everything else is empty).
    public var validationProblems: [ValidationProblem]
    /// One row per predicting system × line (one per system with line nil when no line is
    /// offered), systems in `SystemID.all` order, lines in input order within a system.
    public var rows: [PredictionRow]
    /// Systems that ran but made no prediction, in system order.
    public var skips: [SystemSkip]
    /// Systems that failed, in system order.
    public var failures: [SystemFailure]

    /// Creates a result.
    public init(player: PlayerLookup, gameDate: GameDate, gameID: GameID,
                validationProblems: [ValidationProblem] = [], rows: [PredictionRow] = [],
                skips: [SystemSkip] = [], failures: [SystemFailure] = []) {
        self.player = player
        self.gameDate = gameDate
        self.gameID = gameID
        self.validationProblems = validationProblems
        self.rows = rows
        self.skips = skips
        self.failures = failures
    }

    /// Whether validation skipped the whole player.
    public var isSkipped: Bool { !validationProblems.isEmpty }

    /// `skipped: <reason>; <reason>…` for a validation skip, nil otherwise.
    public var skipSummary: String? {
        isSkipped ? "skipped: " + validationProblems.map(\.description).joined(separator: "; ") : nil
    }
}
