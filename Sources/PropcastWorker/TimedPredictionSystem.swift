import Metrics
import PropcastModels

/// Wraps a prediction system and records how long each evaluation takes in its latency
/// histogram. Answers exactly what the wrapped system answers (same id, version, outcome,
/// errors), so an engine over timed systems gives bit-identical rows.
struct TimedPredictionSystem: PredictionSystem {
    let base: any PredictionSystem
    let timer: Timer

    var id: SystemID { base.id }
    var modelVersion: String { base.modelVersion }

    func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        let start = ContinuousClock.now
        defer { timer.record(duration: ContinuousClock.now - start) }
        return try base.evaluate(context)
    }
}

extension PredictionEngine {
    /// This engine with every system, the ensemble too, timed into `metrics`.
    func timed(with metrics: WorkerMetrics) -> PredictionEngine {
        func timed(_ system: any PredictionSystem) -> any PredictionSystem {
            guard let timer = metrics.latency(of: system.id) else { return system }
            return TimedPredictionSystem(base: system, timer: timer)
        }
        return PredictionEngine(baseSystems: baseSystems.map(timed), ensemble: timed(ensemble), configuration: configuration)
    }
}
