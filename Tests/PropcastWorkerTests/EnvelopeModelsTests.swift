import PropcastModels
import PropcastWire
import Testing

@Suite struct EnvelopeModelsTests {
    @Test func playerInputSurvivesTheRequestRoundTrip() throws {
        var input = WorkerFixture.input(lines: [22.5, 0.5, 31], source: .mock)
        input.features["games_played_last_7_days"] = 4
        input.features["a_custom_feature"] = -0.0
        input.recentGames[1].opponentDefRatingLast15 = nil
        input.recentGames[2].daysRest = nil
        input.recentGames[3].isHome = false
        input.recentGames[4].pointsAvgLast5 = nil
        input.recentGames[5].pointsAvgSeason = nil
        let request = WirePredictRequest(input, requestID: 42, attempt: 3)
        #expect(request.requestID == 42)
        #expect(request.attempt == 3)
        let decoded = try request.playerInput()
        #expect(decoded == input)
        #expect(decoded.features["a_custom_feature"]?.sign == .minus)
        // Through the protobuf bytes as well.
        let reparsed = try WirePredictRequest(serializedBytes: try request.serializedBytes() as [UInt8])
        #expect(try reparsed.playerInput() == input)
    }

    @Test func requestListsFeaturesInVectorOrderThenByName() {
        var input = WorkerFixture.input()
        input.features["zz_extra"] = 1
        input.features["aa_extra"] = 2
        let names = WirePredictRequest(input, requestID: 1).features.map(\.name)
        #expect(names == FeatureSet.v1BaselineNames + ["aa_extra", "zz_extra"])
    }

    /// One way to break a request, and the text its error must contain.
    enum Corruption: String, CaseIterable, Sendable {
        case impossibleDate, emptyPlayer, emptyGame, sixLines, repeatedFeature, unnamedFeature, unknownSource
        case thirtyOneGames, badGameDate

        var expected: String {
            switch self {
            case .impossibleDate: "game_date '2025-02-30' is not YYYY-MM-DD"
            case .emptyPlayer: "player_lookup is empty"
            case .emptyGame: "game_id is empty"
            case .sixLines: "6 line_values, at most 5 allowed"
            case .repeatedFeature: "feature 'points_avg_last_5' is given more than once"
            case .unnamedFeature: "feature 3 has an empty name"
            case .unknownSource: "data_source unspecified is not a known source"
            case .thirtyOneGames: "31 recent_games, at most 30 allowed"
            case .badGameDate: "recent_games[2].game_date 'yesterday' is not YYYY-MM-DD"
            }
        }

        func apply(to request: inout WirePredictRequest) {
            switch self {
            case .impossibleDate: request.gameDate = "2025-02-30"
            case .emptyPlayer: request.playerLookup = ""
            case .emptyGame: request.gameID = ""
            case .sixLines: request.lineValues = [1, 2, 3, 4, 5, 6]
            case .repeatedFeature: request.features.append(request.features[0])
            case .unnamedFeature: request.features[3].name = ""
            case .unknownSource: request.dataSource = .unspecified
            case .thirtyOneGames: request.recentGames = Array(repeating: request.recentGames[0], count: 31)
            case .badGameDate: request.recentGames[2].gameDate = "yesterday"
            }
        }
    }

    @Test(arguments: Corruption.allCases)
    func malformedRequestFailsNamingTheField(_ corruption: Corruption) {
        var request = WirePredictRequest(WorkerFixture.input(), requestID: 7)
        corruption.apply(to: &request)
        #expect {
            try request.playerInput()
        } throws: { error in
            let description = "\(error)"
            return description.contains(corruption.expected) && description.contains("predict_request 7")
        }
    }

    @Test func engineRowsSurviveTheResultRoundTripBitForBit() throws {
        let engine = PredictionEngine(registry: try WorkerFixture.registry())
        for lines in [[22.5, 26.5], []] {
            let predictions = engine.predict(WorkerFixture.input(lines: lines))
            #expect(Set(predictions.rows.map(\.systemID)) == Set(SystemID.all))
            let result = WirePredictResult(predictions, requestID: 9, computeMicros: 123)
            let bytes: [UInt8] = try result.serializedBytes()
            let decoded = try WirePredictResult(serializedBytes: bytes)
                .decoded(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate, gameID: WorkerFixture.gameID)
            #expect(decoded.rows.map(\.bitExactKey) == predictions.rows.map(\.bitExactKey))
            #expect(decoded.rows == predictions.rows)
            #expect(decoded.rows.map(\.predictionID) == predictions.rows.map(\.predictionID))
            #expect(decoded.computeMicros == 123)
            #expect(decoded.systemSkips.isEmpty)
            #expect(!decoded.isPlayerSkipped)
        }
    }

    @Test func everyExtraKindAndAMissingLineSurviveTheRoundTrip() throws {
        let extras: [String: ExtraValue] = [
            "number": .number(-0.0), "integer": .integer(Int(Int64.min)), "text": .text("ünïcode"),
            "list": .list(["a", "", "c"]), "empty_list": .list([]),
        ]
        let fingerprint = InputFingerprint(WorkerFixture.input(), line: nil)
        let row = PredictionRow(
            predictionID: PredictionID(gameDate: WorkerFixture.gameDate, player: WorkerFixture.player,
                                       gameID: WorkerFixture.gameID, system: .similarity, line: nil, modelVersion: "v",
                                       inputFingerprint: fingerprint),
            systemID: .similarity, player: WorkerFixture.player, gameDate: WorkerFixture.gameDate,
            gameID: WorkerFixture.gameID, predictedPoints: 0.1 + 0.2, confidenceScore: 100, recommendation: .pass,
            line: nil, lineMargin: nil, extras: extras, modelVersion: "v", inputFingerprint: fingerprint)
        let predictions = PlayerPredictions(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate,
                                            gameID: WorkerFixture.gameID, rows: [row])
        let result = WirePredictResult(predictions, requestID: 1, computeMicros: 0)
        #expect(!result.predictions[0].hasLine)
        let decoded = try result.decoded(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate,
                                         gameID: WorkerFixture.gameID)
        #expect(decoded.rows.map(\.bitExactKey) == [row.bitExactKey])
    }

    @Test func skipsAndFailuresBecomeSystemSkipsWithTheFailedFlag() throws {
        let predictions = PlayerPredictions(
            player: WorkerFixture.player, gameDate: WorkerFixture.gameDate, gameID: WorkerFixture.gameID,
            skips: [SystemSkip(systemID: .similarity, reason: .insufficientSimilarGames(found: 3, needed: 5))],
            failures: [SystemFailure(systemID: .xgboost, reason: "model exploded")])
        let result = WirePredictResult(predictions, requestID: 5, computeMicros: 1)
        #expect(result.systemSkips.map(\.systemID) == ["similarity_balanced_v1", "xgboost_v1"])
        #expect(result.systemSkips.map(\.failed) == [false, true])
        #expect(result.systemSkips.allSatisfy { !$0.hasLine })
        let decoded = try result.decoded(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate,
                                         gameID: WorkerFixture.gameID)
        #expect(decoded.systemSkips == [
            RemoteSystemSkip(systemID: .similarity, line: nil, reason: "insufficient similar games (found 3, need 5)",
                             failed: false),
            RemoteSystemSkip(systemID: .xgboost, line: nil, reason: "model exploded", failed: true),
        ])
    }

    @Test func validationProblemsBecomePlayerSkipReasons() throws {
        let engine = PredictionEngine(registry: try WorkerFixture.registry())
        var features = WorkerFixture.features
        features["fatigue_score"] = nil
        let predictions = engine.predict(WorkerFixture.input(quality: 50, features: features))
        let result = WirePredictResult(predictions, requestID: 2, computeMicros: 0)
        #expect(result.predictions.isEmpty)
        #expect(result.playerSkipReasons == predictions.validationProblems.map(\.description))
        #expect(result.playerSkipReasons.contains("missing feature fatigue_score"))
        #expect(result.playerSkipReasons.contains { $0.hasPrefix("feature_quality_score 50.0 is below") })
        let decoded = try result.decoded(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate,
                                         gameID: WorkerFixture.gameID)
        #expect(decoded.isPlayerSkipped)
    }

    @Test func resultWithAnUnknownSystemOrBadPredictionIDIsRefused() throws {
        let engine = PredictionEngine(registry: try WorkerFixture.registry())
        let good = WirePredictResult(engine.predict(WorkerFixture.input()), requestID: 3, computeMicros: 0)
        var unknownSystem = good
        unknownSystem.predictions[0].systemID = "astrology_v1"
        var badID = good
        badID.predictions[1].predictionID = "not-a-uuid"
        var noCall = good
        noCall.predictions[2].recommendation = .unspecified
        for (result, expected) in [(unknownSystem, "unknown system 'astrology_v1'"), (badID, "'not-a-uuid' is not a UUID"),
                                   (noCall, "is not OVER/UNDER/PASS")] {
            #expect {
                try result.decoded(player: WorkerFixture.player, gameDate: WorkerFixture.gameDate, gameID: WorkerFixture.gameID)
            } throws: { error in
                "\(error)".contains(expected) && "\(error)".contains("predict_result 3")
            }
        }
    }
}
