import PropcastModels
import Testing

struct FeatureSetTests {
    @Test func baselineNamesAreTheTwentyFiveFeaturesInVectorOrder() {
        let names = FeatureSet.v1BaselineNames
        #expect(names.count == 25)
        #expect(names.first == "points_avg_last_5")
        #expect(names[5] == "fatigue_score")
        #expect(names[13] == "opponent_def_rating_last_15")
        #expect(names[17] == "back_to_back")
        #expect(names.last == "usage_rate_last_10")
        #expect(Set(names).count == 25)
    }

    @Test func aliasesReadTheirTargetFeatures() {
        let features = EngineFixture.features()
        #expect(features.value(named: "home_away") == 1)
        #expect(features.value(named: "opponent_def_rating") == 113)
        #expect(features.value(named: "pct_paint") == 0.45)
        #expect(features.value(named: "pct_mid_range") == 0.15)
        #expect(features.value(named: "pct_three") == 0.30)
    }

    @Test func namesOutsideTheTwentyFiveFallBack() {
        let features = EngineFixture.features()
        #expect(features.value(named: "games_played_last_7_days") == 3)
        #expect(features.value(named: "pct_free_throw") == 12.0)
        #expect(features.value(named: "no_such_feature") == nil)
        let given = EngineFixture.features(["games_played_last_7_days": 2, "pct_free_throw": 0.1])
        #expect(given.value(named: "games_played_last_7_days") == 2)
        #expect(given.value(named: "pct_free_throw") == 0.1)
    }

    @Test func absentFeatureReadsAsNilOrItsDefault() {
        let features = EngineFixture.features(removing: ["pace_score"])
        #expect(features[.paceScore] == nil)
        #expect(features.value(.paceScore, default: -7) == -7)
        #expect(features.value(named: "pace_score") == nil)
    }

    @Test func dataQualityIsLowerOnlyForMockData() {
        #expect(EngineFixture.features(source: .mock).dataQuality == 0.8)
        for source in [DataSource.phase4, .phase3, .mixed] {
            #expect(EngineFixture.features(source: source).dataQuality == 1.0)
        }
    }
}
