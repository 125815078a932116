import PropcastModels

extension JournalEntry {
    /// Payload of `batch_started`.
    public struct BatchStarted: Sendable, Hashable, Codable {
        /// The date the batch predicts; must equal the journal's date.
        public var gameDate: GameDate
        /// Node id of the coordinator that runs the batch.
        public var coordinator: String
        /// Worker addresses or node ids the batch will use.
        public var workers: [String]
        /// Players the batch expects to predict.
        public var expectedPlayers: Int
        /// A short summary of the effective configuration (name → value).
        public var config: [String: String]

        /// Creates the payload.
        public init(gameDate: GameDate, coordinator: String, workers: [String], expectedPlayers: Int,
                    config: [String: String] = [:]) {
            self.gameDate = gameDate
            self.coordinator = coordinator
            self.workers = workers
            self.expectedPlayers = expectedPlayers
            self.config = config
        }

        enum CodingKeys: String, CodingKey {
            case gameDate = "game_date", coordinator, workers, expectedPlayers = "expected_players", config
        }
    }

    /// Payload of `player_skipped`. Without `system_id` the whole player is skipped (it is
    /// not covered: it has no predictions); with it, only that system produced no row for these
    /// inputs (e.g. too few similar games). `input_fingerprint` (the inputs' fingerprint with
    /// no line) ties the skip to the inputs it was decided on; a skip for a store row that
    /// could not be read has none.
    public struct PlayerSkipped: Sendable, Hashable, Codable {
        /// The skipped player.
        public var player: PlayerLookup
        /// The player's game, when known.
        public var gameID: GameID?
        /// The one system that was skipped; nil when the whole player was skipped.
        public var system: SystemID?
        /// Why, one reason per entry (e.g. `quality 62 < 70`).
        public var reasons: [String]
        /// The fingerprint of the inputs the skip was decided on (nil: no readable inputs).
        public var inputFingerprint: InputFingerprint?
        /// For a system skip: the model version that made no prediction (a new version must
        /// decide again).
        public var modelVersion: String?

        /// Creates the payload.
        public init(player: PlayerLookup, gameID: GameID? = nil, system: SystemID? = nil, reasons: [String],
                    inputFingerprint: InputFingerprint? = nil, modelVersion: String? = nil) {
            self.player = player
            self.gameID = gameID
            self.system = system
            self.reasons = reasons
            self.inputFingerprint = inputFingerprint
            self.modelVersion = modelVersion
        }

        enum CodingKeys: String, CodingKey {
            case player = "player_lookup", gameID = "game_id", system = "system_id", reasons
            case inputFingerprint = "input_fingerprint", modelVersion = "model_version"
        }
    }

    /// Payload of `player_failed`: every attempt failed; `batch retry` will try again.
    public struct PlayerFailed: Sendable, Hashable, Codable {
        /// The player that could not be predicted.
        public var player: PlayerLookup
        /// The player's game, when known.
        public var gameID: GameID?
        /// Attempts made (1…).
        public var attempts: Int
        /// The last attempt's failure.
        public var lastReason: String

        /// Creates the payload.
        public init(player: PlayerLookup, gameID: GameID? = nil, attempts: Int, lastReason: String) {
            self.player = player
            self.gameID = gameID
            self.attempts = attempts
            self.lastReason = lastReason
        }

        enum CodingKeys: String, CodingKey {
            case player = "player_lookup", gameID = "game_id", attempts, lastReason = "last_reason"
        }
    }

    /// Payload of `attempt_failed`: one attempt ended without the player's full answer — a
    /// system failed on the worker (`system_id` set) — so the player's missing rows are
    /// tried again; after the last attempt a `player_failed` follows.
    public struct AttemptFailed: Sendable, Hashable, Codable {
        /// The player concerned.
        public var player: PlayerLookup
        /// The player's game, when known.
        public var gameID: GameID?
        /// The system that failed, when one did.
        public var system: SystemID?
        /// Which attempt (1…).
        public var attempt: Int
        /// What went wrong.
        public var reason: String
        /// The worker that answered (`HOST:PORT`).
        public var worker: String?

        /// Creates the payload.
        public init(player: PlayerLookup, gameID: GameID? = nil, system: SystemID? = nil, attempt: Int,
                    reason: String, worker: String? = nil) {
            self.player = player
            self.gameID = gameID
            self.system = system
            self.attempt = attempt
            self.reason = reason
            self.worker = worker
        }

        enum CodingKeys: String, CodingKey {
            case player = "player_lookup", gameID = "game_id", system = "system_id", attempt, reason, worker
        }
    }

    /// Payload of `superseded`: predictions that no longer stand. Their ids stay journaled
    /// (an id is never written twice) but exports drop them.
    public struct Superseded: Sendable, Hashable, Codable {
        /// The predictions withdrawn.
        public var predictionIDs: [PredictionID]
        /// The player concerned, when all ids are one player's.
        public var player: PlayerLookup?
        /// The line that no longer exists, when that is the cause.
        public var line: LineValue?
        /// Why they were withdrawn: `inputs_changed` (the store's inputs for the player
        /// changed), `line_withdrawn` (the line is no longer offered), `model_changed` (the
        /// workers run another model version).
        public var reason: String

        /// Creates the payload.
        public init(predictionIDs: [PredictionID], player: PlayerLookup? = nil, line: LineValue? = nil,
                    reason: String) {
            self.predictionIDs = predictionIDs
            self.player = player
            self.line = line
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case predictionIDs = "prediction_ids", player = "player_lookup", line = "line_value", reason
        }
    }

    /// Payload of `batch_finished`: what the batch left in the journal. `predictions` and
    /// `players_with_predictions` are journal facts that `journal verify` recomputes; the player
    /// counts partition `expected_players` (covered + skipped + failed + missing).
    public struct BatchFinished: Sendable, Hashable, Codable {
        /// Players the store expects on the date.
        public var expectedPlayers: Int
        /// Players with every expected prediction journaled.
        public var playersCovered: Int
        /// Players skipped as a whole (invalid inputs or an unreadable store row): not covered.
        public var playersSkipped: Int
        /// Players whose attempts were exhausted: not covered.
        public var playersFailed: Int
        /// Players neither covered, skipped nor failed (not answered, or no features).
        public var playersMissing: Int
        /// Current (not superseded) prediction records in the journal at this point.
        public var predictions: Int
        /// Players with at least one current prediction at this point.
        public var playersWithPredictions: Int
        /// covered / expected × 100 (100 when nothing is expected).
        public var coveragePercent: Double
        /// How the batch ended: `finished`, `interrupted` (signal) or `abandoned` (no worker left).
        public var outcome: String

        /// Creates the payload.
        public init(expectedPlayers: Int, playersCovered: Int, playersSkipped: Int, playersFailed: Int,
                    playersMissing: Int, predictions: Int, playersWithPredictions: Int, coveragePercent: Double,
                    outcome: String = "finished") {
            self.expectedPlayers = expectedPlayers
            self.playersCovered = playersCovered
            self.playersSkipped = playersSkipped
            self.playersFailed = playersFailed
            self.playersMissing = playersMissing
            self.predictions = predictions
            self.playersWithPredictions = playersWithPredictions
            self.coveragePercent = coveragePercent
            self.outcome = outcome
        }

        enum CodingKeys: String, CodingKey {
            case expectedPlayers = "expected_players", playersCovered = "players_covered"
            case playersSkipped = "players_skipped", playersFailed = "players_failed"
            case playersMissing = "players_missing", predictions
            case playersWithPredictions = "players_with_predictions", coveragePercent = "coverage_pct", outcome
        }
    }
}

extension JournalEntry.BatchFinished {
    /// The outcomes a v2 record may state.
    public static let outcomes: Set<String> = ["finished", "interrupted", "abandoned"]

    private enum LegacyKeys: String, CodingKey {
        case playersComplete = "players_complete", coveragePercent = "coverage_percent"
    }

    /// Decodes the record; a journal v1 record (`players_complete`, `coverage_percent`, which
    /// counted skipped players as complete) reads with `outcome` `legacy` and
    /// `players_with_predictions` −1, and `journal verify` does not recompute its counts.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        expectedPlayers = try c.decode(Int.self, forKey: .expectedPlayers)
        playersSkipped = try c.decode(Int.self, forKey: .playersSkipped)
        playersFailed = try c.decode(Int.self, forKey: .playersFailed)
        predictions = try c.decode(Int.self, forKey: .predictions)
        let legacy = try decoder.container(keyedBy: LegacyKeys.self)
        if c.contains(.playersCovered) || !legacy.contains(.playersComplete) {
            playersCovered = try c.decode(Int.self, forKey: .playersCovered)
            playersMissing = try c.decode(Int.self, forKey: .playersMissing)
            playersWithPredictions = try c.decode(Int.self, forKey: .playersWithPredictions)
            coveragePercent = try c.decode(Double.self, forKey: .coveragePercent)
            outcome = try c.decode(String.self, forKey: .outcome)
            guard Self.outcomes.contains(outcome) else {
                throw DecodingError.dataCorruptedError(forKey: .outcome, in: c, debugDescription:
                    "outcome '\(outcome)' is not one of \(Self.outcomes.sorted().joined(separator: ", "))")
            }
        } else {

            playersCovered = try legacy.decode(Int.self, forKey: .playersComplete)
            coveragePercent = try legacy.decode(Double.self, forKey: .coveragePercent)
            playersMissing = max(0, expectedPlayers - playersCovered - playersFailed)
            playersWithPredictions = -1
            outcome = "legacy"
        }
    }
}
