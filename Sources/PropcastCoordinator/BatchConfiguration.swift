import PropcastModels
import PropcastStore
import PropcastTLS
import PropcastWire

/// Everything one `batch run`/`retry` needs, with documented defaults. Built from CLI
/// flags in one place; the coordinator never reads flags or the environment itself.
public struct BatchConfiguration: Sendable {
    /// The game date to predict.
    public var date: GameDate
    /// The feature store (SQLite file).
    public var storePath: String
    /// Where `<date>.journal` lives. Default `journal`.
    public var journalDirectory: String
    /// Workers to use.
    public var workers: [Endpoint]
    /// This coordinator's name in Hello and the journal. Default: host name.
    public var nodeID: String
    /// How long to wait for the feature store to become ready. Default 30 min.
    public var readinessWait: Duration
    /// How often to re-check readiness while waiting. Default 30 s.
    public var readinessPollInterval: Duration
    /// The readiness rule (80 % or 100 players, average quality ≥ 75).
    public var readinessRule: ReadinessRule
    /// Time a worker has to answer one request; the players of a frame are sent together and
    /// answered together, so this is the time for a whole frame. Default 30 s.
    public var requestTimeout: Duration
    /// Attempts per player before it is journaled as failed. Default 3.
    public var maxAttempts: Int
    /// Frame limit and heartbeat timers for worker connections.
    public var wire: WireConfiguration
    /// Longest wait between reconnect attempts to a lost worker. Default 5 s.
    public var maxReconnectBackoff: Duration
    /// How long to wait for a first worker before giving up with "no worker". Default 15 s.
    public var connectGracePeriod: Duration
    /// Only players still missing from the journal (`batch retry`); `run` does the same
    /// but also re-checks readiness and writes batch_started.
    public var isRetry: Bool
    /// When coverage is too low (exit 3). Default: below 90 %, or more than 5 % or 20 players
    /// without predictions.
    public var sla: CoverageSLA
    /// Predict even when the store's average quality is below the readiness rule's minimum
    /// (otherwise the run stops with exit 4). Default false.
    public var allowLowQuality: Bool
    /// Invalid answers after which a worker is not used for the rest of the batch. Default 2.
    public var maxInvalidAnswersPerWorker: Int
    /// Most players per request frame (a worker may announce fewer). Default 32.
    public var maxPlayersPerFrame: Int

    /// Creates a configuration; see the property docs for defaults.
    public init(date: GameDate, storePath: String, journalDirectory: String = "journal", workers: [Endpoint],
                nodeID: String, readinessWait: Duration = .seconds(1800), readinessPollInterval: Duration = .seconds(30),
                readinessRule: ReadinessRule = ReadinessRule(), requestTimeout: Duration = .seconds(30),
                maxAttempts: Int = 3, wire: WireConfiguration = WireConfiguration(),
                maxReconnectBackoff: Duration = .seconds(5), connectGracePeriod: Duration = .seconds(15),
                isRetry: Bool = false, sla: CoverageSLA = CoverageSLA(), allowLowQuality: Bool = false,
                maxInvalidAnswersPerWorker: Int = 2, maxPlayersPerFrame: Int = 32) {
        self.date = date
        self.storePath = storePath
        self.journalDirectory = journalDirectory
        self.workers = workers
        self.nodeID = nodeID
        self.readinessWait = readinessWait
        self.readinessPollInterval = readinessPollInterval
        self.readinessRule = readinessRule
        self.requestTimeout = requestTimeout
        self.maxAttempts = maxAttempts
        self.wire = wire
        self.maxReconnectBackoff = maxReconnectBackoff
        self.connectGracePeriod = connectGracePeriod
        self.isRetry = isRetry
        self.sla = sla
        self.allowLowQuality = allowLowQuality
        self.maxInvalidAnswersPerWorker = max(1, maxInvalidAnswersPerWorker)
        self.maxPlayersPerFrame = max(1, maxPlayersPerFrame)
    }
}

extension BatchConfiguration {
    /// The state machine's share of the configuration.
    var machine: BatchStateMachine.Configuration {
        BatchStateMachine.Configuration(maxAttempts: maxAttempts, requestTimeout: requestTimeout,
                                        noWorkerGrace: connectGracePeriod,
                                        maxInvalidAnswersPerWorker: maxInvalidAnswersPerWorker,
                                        maxPlayersPerFrame: maxPlayersPerFrame)
    }
}
