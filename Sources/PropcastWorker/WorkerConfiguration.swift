import PropcastWire

/// How a worker daemon runs. Built from CLI flags by `propcast worker`.
public struct WorkerConfiguration: Sendable {
    /// Address to listen on. Default `0.0.0.0`.
    public var host: String
    /// Port to listen on; 0 picks a free one. Default 7420.
    public var port: Int
    /// Predictions run at once, across all connections (also each coordinator's credits).
    /// Default: number of cores.
    public var slots: Int
    /// Name in Hello and logs. Default: the host name.
    public var nodeID: String
    /// Most requests taken in one PredictBatch (announced in Hello). Default 64.
    public var maxBatchRequests: Int
    /// Frame limit and timers.
    public var wire: WireConfiguration
    /// After a drain begins, how long in-flight work may take before the remaining
    /// connections are closed anyway. Default 30 s.
    public var drainTimeout: Duration

    /// Creates a configuration; see the property docs for defaults.
    public init(host: String = "0.0.0.0", port: Int = 7420, slots: Int, nodeID: String, maxBatchRequests: Int = 64,
                wire: WireConfiguration = WireConfiguration(), drainTimeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.slots = slots
        self.nodeID = nodeID
        self.maxBatchRequests = min(max(1, maxBatchRequests), 4096)
        self.wire = wire
        self.drainTimeout = drainTimeout
    }
}

/// Runs one prediction request and produces the envelope to send back (a PredictResult or
/// a PredictRejected). Called off the NIO event loops; may be called concurrently.
public protocol PredictionExecutor: Sendable {
    /// Versions of the loaded models, announced in Hello.
    var modelVersions: [WireModelVersion] { get }
    /// Answers one request.
    func execute(_ request: WirePredictRequest) async -> Envelope
    /// Answers the requests of one batch, one answer per request in their order.
    func execute(batch requests: [WirePredictRequest]) async -> WirePredictBatchAnswer
}

extension PredictionExecutor {
    /// Answers the requests one after another with ``execute(_:)``.
    public func execute(batch requests: [WirePredictRequest]) async -> WirePredictBatchAnswer {
        var answer = WirePredictBatchAnswer()
        answer.answers.reserveCapacity(requests.count)
        for request in requests { answer.answers.append(WirePredictAnswer(await execute(request))) }
        return answer
    }
}
