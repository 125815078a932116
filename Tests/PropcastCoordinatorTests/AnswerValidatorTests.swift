import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastTestSupport
import PropcastWire
import Testing

/// The coordinator's answer check without I/O: honest engine answers, tampered by hand.
@Suite struct AnswerValidatorTests {
    static let date = GameDate("2025-01-15")!
    let registry: ModelRegistry
    let engine: PredictionEngine
    var versions: [SystemID: String] { registry.versions }

    init() throws {
        registry = try ModelRegistry.load(from: RepositoryPaths.ops("models"))
        engine = PredictionEngine(registry: registry)
    }

    func input(quality: Double = 90, games: Int = 12) -> PlayerInput {
        var features = Dictionary(uniqueKeysWithValues: FeatureSet.v1BaselineNames.map { ($0, 1.0) })
        features["points_avg_last_5"] = 24; features["points_avg_last_10"] = 23; features["points_avg_season"] = 22
        features["opponent_def_rating_last_15"] = 112; features["opponent_pace_last_15"] = 100
        features["team_pace_last_10"] = 100; features["team_off_rating_last_10"] = 112; features["fatigue_score"] = 60
        let history = (0..<games).map { RecentGame(gameDate: Self.date.adding(days: -2 * ($0 + 1)), points: 20 + Double($0 % 5)) }
        return PlayerInput(player: "p", gameDate: Self.date, gameID: "G", features: features, featureQualityScore: quality,
                           dataSource: .phase4, lineValues: [LineValue(20.5), LineValue(22.5)], recentGames: history)
    }

    /// The honest answer as the coordinator decodes it.
    func answer(_ input: PlayerInput) throws -> RemotePlayerPredictions {
        try WirePredictResult(engine.predict(input), requestID: 1, computeMicros: 0)
            .decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
    }

    func check(_ input: PlayerInput, _ answer: RemotePlayerPredictions) -> Result<AnswerValidator.Accepted, AnswerRefusal> {
        AnswerValidator(input: input, expected: ExpectedPredictions(input, modelVersions: versions))
            .check(answer, attempt: 1, worker: "w:1")
    }

    func refusal(_ input: PlayerInput, _ answer: RemotePlayerPredictions) -> String {
        if case .failure(let refusal) = check(input, answer) { return refusal.description }
        return "accepted"
    }

    @Test func honestAnswerIsAcceptedAsItsRows() throws {
        let input = input()
        let honest = try answer(input)
        guard case .success(let accepted) = check(input, honest) else { Issue.record("\(refusal(input, honest))"); return }
        #expect(accepted.entries.compactMap(\.predictionID) == honest.rows.map(\.predictionID))
        #expect(accepted.failures.isEmpty && !accepted.playerSkipped)
    }

    @Test func rowWhoseModelVersionDoesNotDeriveItsIDIsRefused() throws {
        let input = input()
        var tampered = try answer(input)
        tampered.rows[0].modelVersion = "ma-evil"  // id left as it was
        #expect(refusal(input, tampered).contains("do not derive its id"), "\(refusal(input, tampered))")
    }

    @Test func nonFiniteExtraIsRefused() throws {
        let input = input()
        var tampered = try answer(input)
        let index = try #require(tampered.rows.firstIndex { $0.systemID == .similarity })
        tampered.rows[index].extras["similarity_baseline"] = .number(.nan)
        #expect(refusal(input, tampered).contains("extra 'similarity_baseline' = nan"), "\(refusal(input, tampered))")
    }

    @Test func wholePlayerSkipOfValidInputsIsRefusedAndOfInvalidInputsAccepted() throws {
        let valid = input()
        var lie = try answer(valid)
        lie.rows = []
        lie.playerSkipReasons = ["feature_quality_score 10 is below 70"]
        #expect(refusal(valid, lie).contains("although its inputs are valid"), "\(refusal(valid, lie))")
        let invalid = input(quality: 50)
        let honest = try answer(invalid)
        #expect(honest.isPlayerSkipped)
        guard case .success(let accepted) = check(invalid, honest) else { Issue.record("refused"); return }
        #expect(accepted.playerSkipped)
    }

    @Test func skipsThatNameALineOrContradictRowsAreRefused() throws {
        let input = input()
        var perLine = try answer(input)
        perLine.rows.removeAll { $0.systemID == .similarity && $0.line == LineValue(22.5) }
        perLine.systemSkips = [RemoteSystemSkip(systemID: .similarity, line: LineValue(22.5), reason: "…", failed: false)]
        #expect(refusal(input, perLine).contains("at line 22.5 only"), "\(refusal(input, perLine))")
        var both = try answer(input)
        both.systemSkips = [RemoteSystemSkip(systemID: .movingAverage, line: nil, reason: "boom", failed: true)]
        #expect(refusal(input, both).contains("sent rows of moving_average and also reported it as failed"),
                "\(refusal(input, both))")
        var neverSkips = try answer(input)
        neverSkips.rows.removeAll { $0.systemID == .zoneMatchup }
        neverSkips.systemSkips = [RemoteSystemSkip(systemID: .zoneMatchup, line: nil, reason: "tired", failed: false)]
        #expect(refusal(input, neverSkips).contains("never is for valid inputs"), "\(refusal(input, neverSkips))")
    }

    @Test func failureOfASystemTheInputsDoNotCallForCostsNothing() throws {
        let input = input(games: 0)  // no history: similarity is not expected
        var answer = try answer(input)
        answer.systemSkips.removeAll { $0.systemID == .similarity }
        answer.systemSkips.append(RemoteSystemSkip(systemID: .similarity, line: nil, reason: "crashed", failed: true))
        guard case .success(let accepted) = check(input, answer) else { Issue.record("\(refusal(input, answer))"); return }
        #expect(accepted.failures.isEmpty)
    }

    @Test func systemSkipIsJournaledWithItsInputsAndModelVersion() throws {
        let input = input(games: 2)  // too few similar games
        let honest = try answer(input)
        guard case .success(let accepted) = check(input, honest) else { Issue.record("\(refusal(input, honest))"); return }
        let skips = accepted.entries.compactMap { entry -> JournalEntry.PlayerSkipped? in
            if case .playerSkipped(let skip) = entry { return skip }
            return nil
        }
        #expect(skips.map(\.system) == [.similarity])
        #expect(skips.first?.modelVersion == versions[.similarity])
        #expect(skips.first?.inputFingerprint == InputFingerprint(input, line: nil))
    }
}
