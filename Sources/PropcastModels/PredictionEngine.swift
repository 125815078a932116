/// Runs validation and the five systems for one player and turns the answers into rows
/// (SYSTEMS.md §2, §9). Immutable and `Sendable`: one engine serves concurrent callers.
///
/// Each system is evaluated once per player (predictions do not depend on the line) and the
/// ensemble reuses the base systems' predictions rather than running them again. A system
/// that throws or returns garbage is isolated: it is reported in ``PlayerPredictions/failures``
/// and the other systems still answer. Output is deterministic: same input and model give
/// bit-identical rows.
public struct PredictionEngine: Sendable {
    /// The base systems, in run and report order.
    public let baseSystems: [any PredictionSystem]
    /// The ensemble over the base systems (an ``EnsembleSystem``, or one wrapped, e.g. timed).
    public let ensemble: any PredictionSystem
    /// The settings in use.
    public let configuration: EngineConfiguration
    private let validator: InputValidator

    /// The engine with the five standard systems, versions from `registry`.
    public init(registry: ModelRegistry, configuration: EngineConfiguration = .init()) {
        let versions = registry.versions
        let bases: [any PredictionSystem] = [
            MovingAverageSystem(modelVersion: versions[.movingAverage] ?? MovingAverageSystem.defaultVersion),
            ZoneMatchupSystem(modelVersion: versions[.zoneMatchup] ?? ZoneMatchupSystem.defaultVersion),
            SimilaritySystem(modelVersion: versions[.similarity] ?? SimilaritySystem.defaultVersion),
            XGBoostSystem(model: registry.xgboost, modelVersion: versions[.xgboost]),
        ]
        let ensemble = EnsembleSystem(baseSystems: bases,
                                      modelVersion: versions[.ensemble] ?? EnsembleSystem.defaultVersion)
        self.init(baseSystems: bases, ensemble: ensemble, configuration: configuration)
    }

    /// An engine over any base systems (tests, tools); the ensemble defaults to one over them.
    public init(baseSystems: [any PredictionSystem], ensemble: (any PredictionSystem)? = nil,
                configuration: EngineConfiguration = .init()) {
        self.baseSystems = baseSystems
        self.ensemble = ensemble ?? EnsembleSystem(baseSystems: baseSystems)
        self.configuration = configuration
        self.validator = InputValidator(configuration: configuration.validation)
    }

    /// Validates `input` and, when valid, runs every system for every line.
    public func predict(_ input: PlayerInput) -> PlayerPredictions {
        var result = PlayerPredictions(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
        let features = FeatureSet(input)
        let problems = validator.problems(in: input, features: features)
        guard problems.isEmpty else {
            result.validationProblems = problems
            return result
        }

        var context = PredictionContext(features: features, recentGames: input.recentGames)
        var predictions: [SystemPrediction] = []
        predictions.reserveCapacity(baseSystems.count + 1)
        for system in baseSystems {
            if let prediction = run(system, context, into: &result) { predictions.append(prediction) }
        }
        context.basePredictions = predictions
        if let prediction = run(ensemble, context, into: &result) { predictions.append(prediction) }

        let expected = ExpectedPredictions(input, modelVersions: Dictionary(
            predictions.map { ($0.systemID, $0.modelVersion) }, uniquingKeysWith: { first, _ in first }))
        result.rows.reserveCapacity(expected.rows.count)
        for prediction in predictions {
            for expectedRow in expected.rows where expectedRow.system == prediction.systemID {
                result.rows.append(row(prediction, expected: expectedRow, input: input))
            }
        }
        return result
    }

    /// Evaluates one system, recording a skip or failure; returns its sane prediction if any.
    private func run(_ system: any PredictionSystem, _ context: PredictionContext,
                     into result: inout PlayerPredictions) -> SystemPrediction? {
        do {
            switch try system.evaluate(context) {
            case .prediction(let prediction):
                if let problem = prediction.outputProblem {
                    result.failures.append(SystemFailure(systemID: system.id, reason: problem, kind: .invalidOutput))
                    return nil
                }
                return prediction
            case .noPrediction(let reason):
                result.skips.append(SystemSkip(systemID: system.id, reason: reason))
                return nil
            }
        } catch {
            result.failures.append(SystemFailure(systemID: system.id, reason: "\(error)"))
            return nil
        }
    }

    /// The output row of `prediction` against the expected row's line (§9).
    private func row(_ prediction: SystemPrediction, expected: ExpectedPredictions.Row, input: PlayerInput) -> PredictionRow {
        let line = expected.line
        return PredictionRow(
            predictionID: expected.id,
            systemID: prediction.systemID, player: input.player, gameDate: input.gameDate, gameID: input.gameID,
            predictedPoints: prediction.predictedPoints, confidenceScore: prediction.confidenceScore,
            recommendation: prediction.recommendation(for: line), line: line,
            lineMargin: line.map { prediction.predictedPoints - $0.rawValue },
            extras: prediction.extras, modelVersion: prediction.modelVersion, inputFingerprint: expected.fingerprint)
    }
}
