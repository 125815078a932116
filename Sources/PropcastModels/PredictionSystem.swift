/// One of the five prediction systems (SYSTEMS.md §4–§8).
///
/// Every system's predicted points and confidence depend only on the player, never on the
/// line: the line only enters the recommendation. So a system evaluates a player once
/// (``evaluate(_:)``) and the returned ``SystemPrediction`` answers each line cheaply
/// (``SystemPrediction/recommendation(for:)``); ``predict(_:line:)`` combines both.
public protocol PredictionSystem: Sendable {
    /// The system's id, e.g. `moving_average`.
    var id: SystemID { get }
    /// The version of the rule set or model, part of every prediction id.
    var modelVersion: String { get }
    /// Evaluates the system for one player. Returns ``SystemOutcome/noPrediction(_:)`` when the
    /// system has nothing to say (a skip, not a failure); throws when it cannot run at all.
    func evaluate(_ context: PredictionContext) throws -> SystemOutcome
}

extension PredictionSystem {
    /// The system's answer for one line (nil = no line offered): the prediction and its
    /// recommendation, or why there is none.
    public func predict(_ context: PredictionContext, line: LineValue?) throws -> SystemResult {
        switch try evaluate(context) {
        case .prediction(let prediction):
            .predicted(prediction, prediction.recommendation(for: line))
        case .noPrediction(let reason):
            .skipped(reason)
        }
    }
}

/// A system's answer for one player and one line.
public enum SystemResult: Sendable, Hashable {
    /// A prediction and the recommendation against the line.
    case predicted(SystemPrediction, Recommendation)
    /// No prediction, and why.
    case skipped(SkipReason)
}

/// What the systems read for one player: the resolved features, the past games, and — for
/// the ensemble — the base systems' predictions when the caller already has them.
public struct PredictionContext: Sendable {
    /// The player's features.
    public var features: FeatureSet
    /// Up to 30 past games, newest first (similarity reads the first 30).
    public var recentGames: [RecentGame]
    /// The base systems' valid predictions for this player, in base-system order, when they
    /// have been evaluated already (the engine does this so the ensemble does not run them
    /// twice). Nil = not evaluated; the ensemble then evaluates its own base systems.
    public var basePredictions: [SystemPrediction]?

    /// Creates a context.
    public init(features: FeatureSet, recentGames: [RecentGame] = [], basePredictions: [SystemPrediction]? = nil) {
        self.features = features
        self.recentGames = recentGames
        self.basePredictions = basePredictions
    }

    /// The context of a player input (no base predictions yet).
    public init(_ input: PlayerInput) {
        self.init(features: FeatureSet(input), recentGames: input.recentGames)
    }
}
