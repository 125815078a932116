import PropcastModels

/// A base system that always throws, for isolation tests.
struct FailingSystem: PredictionSystem {
    var id: SystemID = "failing_test_system"
    var modelVersion: String { "test" }

    func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        throw PredictionSystemError(systemID: id, detail: "deliberate test failure")
    }
}

/// A base system that returns garbage numbers, for isolation tests.
struct GarbageSystem: PredictionSystem {
    var id: SystemID = "garbage_test_system"
    var modelVersion: String { "test" }
    var points: Double = .nan
    var confidence: Double = 50

    func evaluate(_ context: PredictionContext) throws -> SystemOutcome {
        .prediction(SystemPrediction(systemID: id, modelVersion: modelVersion, predictedPoints: points,
                                     confidenceScore: confidence, rule: .xgboost(prediction: points, confidence: confidence)))
    }
}
