import NIOPosix
import Prometheus
import PropcastModels
import PropcastWire
import PropcastWorker
import Testing

@Suite struct EnginePredictionExecutorTests {
    @Test func validRequestIsAnsweredWithExactlyTheEnginesRows() async throws {
        let registry = try WorkerFixture.registry()
        let executor = EnginePredictionExecutor(registry: registry)
        let input = WorkerFixture.input()
        let answer = await executor.execute(WirePredictRequest(input, requestID: 77, attempt: 2))
        guard case .predictResult(let result)? = answer.body else {
            Issue.record("expected a predict_result, got \(answer)")
            return
        }
        #expect(result.requestID == 77)
        let decoded = try result.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
        let direct = PredictionEngine(registry: registry).predict(input)
        #expect(decoded.rows.count == SystemID.all.count * 2)
        #expect(decoded.rows.map(\.bitExactKey) == direct.rows.map(\.bitExactKey))
        #expect(executor.modelVersions.map(\.systemID) == SystemID.all.map(\.rawValue))
        #expect(executor.modelVersions.map(\.version) == SystemID.all.map { registry.versions[$0] })
    }

    @Test func malformedRequestIsRejectedAsInvalidAndNotRetryable() async throws {
        let executor = EnginePredictionExecutor(registry: try WorkerFixture.registry())
        var request = WirePredictRequest(WorkerFixture.input(), requestID: 5)
        request.gameDate = "15/01/2025"
        let answer = await executor.execute(request)
        guard case .predictRejected(let rejected)? = answer.body else {
            Issue.record("expected a predict_rejected, got \(answer)")
            return
        }
        #expect(rejected.requestID == 5)
        #expect(rejected.code == .invalidRequest)
        #expect(!rejected.retryable)
        #expect(rejected.message.contains("game_date '15/01/2025' is not YYYY-MM-DD"))
    }

    @Test func nanFeatureIsAPlayerSkipNotARejection() async throws {
        let executor = EnginePredictionExecutor(registry: try WorkerFixture.registry())
        var features = WorkerFixture.features
        features["pace_score"] = .nan
        let answer = await executor.execute(WirePredictRequest(WorkerFixture.input(features: features), requestID: 6))
        guard case .predictResult(let result)? = answer.body else {
            Issue.record("expected a predict_result, got \(answer)")
            return
        }
        #expect(result.predictions.isEmpty)
        #expect(result.playerSkipReasons == ["feature pace_score is nan"])
    }

    @Test func executorRecordsLatencyForEverySystemAndTheRequest() async throws {
        let prometheus = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics(factory: PrometheusMetricsFactory(registry: prometheus))
        let executor = EnginePredictionExecutor(registry: try WorkerFixture.registry(), metrics: metrics)
        _ = await executor.execute(WirePredictRequest(WorkerFixture.input(), requestID: 1))
        _ = await executor.execute(WirePredictRequest(WorkerFixture.input(lines: []), requestID: 2))
        let text = prometheus.emitToString()
        for system in SystemID.all {  // the ensemble too (it stayed at 0 before)
            #expect(text.contains("propcast_system_latency_seconds_count{system=\"\(system.rawValue)\"} 2"))
        }
        #expect(text.contains("propcast_predict_seconds_count 2"))
    }

    @Test func failedSystemsAreCountedBySystemAndReason() async throws {
        let prometheus = PrometheusCollectorRegistry()
        let metrics = WorkerMetrics(factory: PrometheusMetricsFactory(registry: prometheus))
        let engine = PredictionEngine(baseSystems: [ThrowingSystem(), OutOfRangeSystem()])
        let executor = EnginePredictionExecutor(engine: engine, versions: [:], metrics: metrics)
        _ = await executor.execute(WirePredictRequest(WorkerFixture.input(lines: []), requestID: 1))
        _ = await executor.execute(WirePredictRequest(WorkerFixture.input(lines: []), requestID: 2))
        let text = prometheus.emitToString()
        #expect(text.contains("propcast_system_failures_total{system=\"zone_matchup_v1\",reason=\"error\"} 2"), "\(text)")
        #expect(text.contains("propcast_system_failures_total{system=\"moving_average\",reason=\"invalid_output\"} 2"))
        #expect(text.contains("propcast_system_failures_total{system=\"moving_average\",reason=\"error\"} 0"))
    }
}

/// A base system that always throws.
private struct ThrowingSystem: PredictionSystem {
    var id: SystemID { .zoneMatchup }
    var modelVersion: String { "test" }

    func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        throw PredictionSystemError(systemID: id, detail: "deliberate test failure")
    }
}

/// A base system whose points are outside 0–60.
private struct OutOfRangeSystem: PredictionSystem {
    var id: SystemID { .movingAverage }
    var modelVersion: String { "test" }

    func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        .prediction(SystemPrediction(systemID: id, modelVersion: modelVersion, predictedPoints: 1e20, confidenceScore: 50,
                                     rule: .xgboost(prediction: 1e20, confidence: 50)))
    }
}
