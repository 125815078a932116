import PropcastModels
import Testing

/// Validation before any system runs (SYSTEMS.md §2).
struct InputValidatorTests {
    let validator = InputValidator()

    @Test func validInputHasNoProblems() {
        #expect(validator.problems(in: EngineFixture.input(lines: [20.5, 21.5, 22.5, 23.5, 24.5])).isEmpty)
    }

    @Test func everyProblemIsListedInOrder() {
        var input = EngineFixture.input(["pace_score": .nan, "points_avg_season": 61, "is_home": 2],
                                        removing: ["fatigue_score", "usage_rate_last_10"], quality: 65,
                                        lines: [20, 21, 21, -1, 23, 24])
        input.recentGames = [EngineFixture.game(.infinity)]
        // Compared as text: NaN never equals itself.
        #expect(validator.problems(in: input).map(\.description) == [
            "missing feature fatigue_score",
            "missing feature usage_rate_last_10",
            "feature pace_score is nan",
            "feature_quality_score 65.0 is below 70.0",
            "points_avg_season 61.0 is outside [0, 60]",
            "feature is_home = 2.0 is outside the plausible range [0.0, 1.0]",
            "6 lines offered, at most 5 allowed",
            "line 21.0 is offered more than once",
            "line -1.0 is not a number in 0–100",
            "recent game 0 has points = inf",
        ])
    }

    @Test func reasonsAreReadable() {
        let reasons = validator.problems(in: EngineFixture.input(removing: ["fatigue_score"], quality: 65)).map(\.description)
        #expect(reasons == ["missing feature fatigue_score", "feature_quality_score 65.0 is below 70.0"])
        let input = EngineFixture.input(removing: ["fatigue_score"], quality: 65)
        let summary = PredictionEngine(baseSystems: []).predict(input).skipSummary
        #expect(summary == "skipped: missing feature fatigue_score; feature_quality_score 65.0 is below 70.0")
    }

    @Test func everyNonFiniteValueIsReportedEvenOutsideTheTwentyFive() {
        let input = EngineFixture.input(["minutes_avg_last_10": -.infinity, "games_played_last_7_days": .infinity])
        #expect(validator.problems(in: input).map(\.description) == [
            "feature games_played_last_7_days is inf", "feature minutes_avg_last_10 is -inf",
        ])
    }

    @Test func minimumQualityIsConfigurable() {
        let lenient = InputValidator(configuration: ValidationConfiguration(minimumQualityScore: 60))
        #expect(lenient.problems(in: EngineFixture.input(quality: 65)).isEmpty)
        #expect(validator.problems(in: EngineFixture.input(quality: 70)).isEmpty)     // 70 is not < 70
        #expect(validator.problems(in: EngineFixture.input(quality: 69.99)) == [.qualityScoreBelowMinimum(score: 69.99, minimum: 70)])
        #expect(validator.problems(in: EngineFixture.input(quality: .nan)).count == 1)
    }

    @Test func seasonAverageMustBeWithinZeroAndSixty() {
        #expect(validator.problems(in: EngineFixture.input(["points_avg_season": 60])).isEmpty)
        #expect(validator.problems(in: EngineFixture.input(["points_avg_season": 0])).isEmpty)
        #expect(validator.problems(in: EngineFixture.input(["points_avg_season": -0.1])) == [.seasonAverageOutOfRange(-0.1)])
    }

    @Test func saneRangeChecksCanBeTurnedOff() {
        let input = EngineFixture.input(["fatigue_score": 140, "paint_rate_last_10": -0.2])
        #expect(validator.problems(in: input).count == 2)
        let unchecked = InputValidator(configuration: ValidationConfiguration(checksSaneRanges: false))
        #expect(unchecked.problems(in: input).isEmpty)
    }

    @Test func atMostFiveLinesByDefault() {
        #expect(validator.problems(in: EngineFixture.input(lines: [1, 2, 3, 4, 5])).isEmpty)
        #expect(validator.problems(in: EngineFixture.input(lines: [1, 2, 3, 4, 5, 6])) == [.tooManyLines(count: 6, maximum: 5)])
    }
}
