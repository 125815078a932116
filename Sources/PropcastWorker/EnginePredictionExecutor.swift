import Logging
import NIOPosix
import PropcastModels
import PropcastWire

/// Runs the prediction engine for each request on a thread pool (never on a NIO event
/// loop and never blocking Swift's cooperative pool) and answers with a PredictResult.
///
/// A malformed request (bad date, empty player, too many lines or games, repeated feature)
/// is answered `PredictRejected(CODE_INVALID_REQUEST, retryable=false)` with the reason.
/// Bad values (missing or NaN features, low quality) are the engine's business: they come
/// back as a PredictResult with `player_skip_reasons`.
public struct EnginePredictionExecutor: PredictionExecutor {
    /// The loaded models' versions, in `SystemID.all` order.
    public let modelVersions: [WireModelVersion]
    private let engine: PredictionEngine
    private let threadPool: NIOThreadPool
    private let metrics: WorkerMetrics
    private let logger: Logger

    /// An executor over the five standard systems with `registry`'s models.
    /// - Parameters:
    ///   - threadPool: where predictions run; default NIO's shared pool (one thread per core).
    ///   - metrics: per-system and per-request latency go here.
    public init(registry: ModelRegistry, threadPool: NIOThreadPool = .singleton, metrics: WorkerMetrics = .disabled,
                logger: Logger = Logger(label: "propcast.worker.executor")) {
        self.init(engine: PredictionEngine(registry: registry), versions: registry.versions, threadPool: threadPool,
                  metrics: metrics, logger: logger)
    }

    /// An executor over any engine (tests, tools); `versions` are announced in Hello.
    public init(engine: PredictionEngine, versions: [SystemID: String], threadPool: NIOThreadPool = .singleton,
                metrics: WorkerMetrics = .disabled, logger: Logger = Logger(label: "propcast.worker.executor")) {
        self.engine = engine.timed(with: metrics)
        self.modelVersions = SystemID.all.compactMap { system in
            versions[system].map { version in
                var model = WireModelVersion()
                model.systemID = system.rawValue
                model.version = version
                return model
            }
        }
        self.threadPool = threadPool
        self.metrics = metrics
        self.logger = logger
    }

    /// Converts the requests, runs the engine for all of them in one thread-pool job and
    /// converts the answers (a malformed request is answered INVALID_REQUEST in its place).
    public func execute(batch requests: [WirePredictRequest]) async -> WirePredictBatchAnswer {
        var inputs: [PlayerInput?] = []
        var answers = [WirePredictAnswer](repeating: WirePredictAnswer(), count: requests.count)
        inputs.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            do {
                inputs.append(try request.playerInput())
            } catch {
                logger.debug("request rejected as invalid", metadata: ["request": "\(request.requestID)", "reason": "\(error)"])
                inputs.append(nil)
                answers[index] = WirePredictAnswer(.rejected(request.requestID, .invalidRequest, "\(error)", retryable: false))
            }
        }
        let engine = self.engine
        let timer = metrics.predictLatency
        let valid = inputs
        do {
            let computed = try await threadPool.runIfActive {
                valid.map { input -> (PlayerPredictions, Duration)? in
                    guard let input else { return nil }
                    let start = ContinuousClock.now
                    let predictions = engine.predict(input)
                    let elapsed = ContinuousClock.now - start
                    timer.record(duration: elapsed)
                    return (predictions, elapsed)
                }
            }
            for (index, outcome) in computed.enumerated() {
                guard let (predictions, elapsed) = outcome else { continue }
                metrics.countFailures(predictions)
                let micros = UInt64(max(0, elapsed / .microseconds(1)))
                answers[index].answer = .result(WirePredictResult(predictions, requestID: requests[index].requestID,
                                                                  computeMicros: micros))
            }
        } catch {
            logger.error("predictions could not run", metadata: ["requests": "\(requests.count)", "reason": "\(error)"])
            for (index, input) in inputs.enumerated() where input != nil {
                answers[index] = WirePredictAnswer(.rejected(requests[index].requestID, .internal,
                                                             "prediction thread pool is not running: \(error)",
                                                             retryable: true))
            }
        }
        logger.debug("batch answered", metadata: ["requests": "\(requests.count)"])
        var batch = WirePredictBatchAnswer()
        batch.answers = answers
        return batch
    }

    /// Answers one request as a batch of one.
    public func execute(_ request: WirePredictRequest) async -> Envelope {
        Envelope(await execute(batch: [request]).answers[0])
    }
}
