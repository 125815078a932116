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

    /// Payload of `player_skipped`. Without `system_id` the whole player is skipped (and
    /// counts as complete); with it, only that system produced no row (e.g. too few games).
    public struct PlayerSkipped: Sendable, Hashable, Codable {
        /// The skipped player.
        public var player: PlayerLookup
        /// The player's game, when known.
        public var gameID: GameID?
        /// The one system that was skipped; nil when the whole player was skipped.
        public var system: SystemID?
        /// Why, one reason per entry (e.g. `quality 62 < 70`).
        public var reasons: [String]

        /// Creates the payload.
        public init(player: PlayerLookup, gameID: GameID? = nil, system: SystemID? = nil, reasons: [String]) {
            self.player = player
            self.gameID = gameID
            self.system = system
            self.reasons = reasons
        }

        enum CodingKeys: String, CodingKey {
            case player = "player_lookup", gameID = "game_id", system = "system_id", reasons
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

    /// Payload of `superseded`: predictions that no longer stand. Their ids stay journaled
    /// (an id is never written twice) but exports drop them.
    public struct Superseded: Sendable, Hashable, Codable {
        /// The predictions withdrawn.
        public var predictionIDs: [PredictionID]
        /// The player concerned, when all ids are one player's.
        public var player: PlayerLookup?
        /// The line that no longer exists, when that is the cause.
        public var line: LineValue?
        /// Why they were withdrawn.
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

    /// Payload of `batch_finished`.
    public struct BatchFinished: Sendable, Hashable, Codable {
        /// Players the batch expected.
        public var expectedPlayers: Int
        /// Players with every expected prediction journaled.
        public var playersComplete: Int
        /// Players skipped as a whole.
        public var playersSkipped: Int
        /// Players whose attempts were exhausted.
        public var playersFailed: Int
        /// Prediction records in the journal at the end of the batch.
        public var predictions: Int
        /// (complete + skipped) / expected × 100, 0–100.
        public var coveragePercent: Double

        /// Creates the payload.
        public init(expectedPlayers: Int, playersComplete: Int, playersSkipped: Int, playersFailed: Int,
                    predictions: Int, coveragePercent: Double) {
            self.expectedPlayers = expectedPlayers
            self.playersComplete = playersComplete
            self.playersSkipped = playersSkipped
            self.playersFailed = playersFailed
            self.predictions = predictions
            self.coveragePercent = coveragePercent
        }

        enum CodingKeys: String, CodingKey {
            case expectedPlayers = "expected_players", playersComplete = "players_complete"
            case playersSkipped = "players_skipped", playersFailed = "players_failed", predictions
            case coveragePercent = "coverage_percent"
        }
    }
}
