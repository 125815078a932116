import PropcastWire

/// Wraps an executor and holds every answer back by a fixed time, keeping its slot busy: a
/// batch of N requests is held N times as long, as if each request took that long to compute.
/// For failure drills (`propcast worker --simulate-latency`): it stretches a batch so an
/// operator or a test can kill, stop or cut off a worker while work is in flight.
public struct DelayedPredictionExecutor: PredictionExecutor {
    private let base: any PredictionExecutor
    private let delay: Duration

    /// `base`'s answers, each delayed by `delay`.
    public init(_ base: any PredictionExecutor, delay: Duration) {
        self.base = base
        self.delay = delay
    }

    public var modelVersions: [WireModelVersion] { base.modelVersions }

    public func execute(_ request: WirePredictRequest) async -> Envelope {
        try? await Task.sleep(for: delay)
        return await base.execute(request)
    }

    public func execute(batch requests: [WirePredictRequest]) async -> WirePredictBatchAnswer {
        try? await Task.sleep(for: delay * requests.count)
        return await base.execute(batch: requests)
    }
}
