import PropcastCoordinator
import PropcastJournal
import PropcastModels
import Testing

@Suite struct BatchPlanTests {
    let date = GameDate("2025-01-15")!
    let versions: [SystemID: String] = [.movingAverage: "ma1", .zoneMatchup: "zm1", .similarity: "sim1",
                                        .xgboost: "xgb1", .ensemble: "ens1"]

    func input(_ player: PlayerLookup, lines: [Double]) -> PlayerInput {
        PlayerInput(player: player, gameDate: date, gameID: "G1", features: [:], featureQualityScore: 90,
                    dataSource: .phase4, lineValues: lines.map { LineValue($0) }, recentGames: [])
    }

    func row(_ player: PlayerLookup, _ system: SystemID, line: Double?) -> PredictionRow {
        let id = PredictionID(gameDate: date, player: player, gameID: "G1", system: system, line: line.map { LineValue($0) },
                              modelVersion: versions[system]!)
        return PredictionRow(predictionID: id, systemID: system, player: player, gameDate: date, gameID: "G1",
                             predictedPoints: 20, confidenceScore: 50, recommendation: .pass, line: line.map { LineValue($0) },
                             lineMargin: nil, extras: [:], modelVersion: versions[system]!)
    }

    @Test func expectedIdsAreEverySystemTimesEveryLine() {
        #expect(BatchPlan.expectedIDs(for: input("p", lines: [20.5, 22.5]), modelVersions: versions, skipping: []).count == 10)
        #expect(BatchPlan.expectedIDs(for: input("p", lines: []), modelVersions: versions, skipping: []).count == 5)
        #expect(BatchPlan.expectedIDs(for: input("p", lines: [20.5]), modelVersions: versions, skipping: [.similarity]).count == 4)
    }

    @Test func fullyJournaledPlayerIsCompleteAndOthersRemain() {
        var index = JournalIndex()
        for system in SystemID.all { index.add(.prediction(row("done", system, line: 20.5)), timestamp: "t") }
        index.add(.prediction(row("partial", .movingAverage, line: 20.5)), timestamp: "t")
        index.add(.playerSkipped(JournalEntry.PlayerSkipped(player: "skipped", reasons: ["quality 50 below 70"])), timestamp: "t")
        let plan = BatchPlan(inputs: [input("done", lines: [20.5]), input("partial", lines: [20.5]),
                                      input("skipped", lines: [20.5]), input("new", lines: [20.5])],
                             index: index, modelVersions: versions)
        #expect(plan.alreadyComplete == ["done", "skipped"])
        #expect(plan.remaining.map(\.player) == ["partial", "new"])
        #expect(plan.superseded.isEmpty)
    }

    @Test func systemSkippedForThePlayerDoesNotKeepItIncomplete() {
        var index = JournalIndex()
        for system in SystemID.all where system != .similarity {
            index.add(.prediction(row("p", system, line: 20.5)), timestamp: "t")
        }
        index.add(.playerSkipped(JournalEntry.PlayerSkipped(player: "p", system: .similarity, reasons: ["no historical games"])),
                  timestamp: "t")
        let plan = BatchPlan(inputs: [input("p", lines: [20.5])], index: index, modelVersions: versions)
        #expect(plan.alreadyComplete == ["p"])
    }

    @Test func withdrawnLineIsSupersededAndNewLineIsPredicted() {
        var index = JournalIndex()
        for system in SystemID.all {
            index.add(.prediction(row("p", system, line: 20.5)), timestamp: "t")
            index.add(.prediction(row("p", system, line: 22.5)), timestamp: "t")
        }
        // Lines moved from [20.5, 22.5] to [20.5, 23.5].
        let plan = BatchPlan(inputs: [input("p", lines: [20.5, 23.5])], index: index, modelVersions: versions)
        #expect(plan.remaining.map(\.player) == ["p"])
        #expect(plan.superseded.count == 1)
        let expectedStale = Set(SystemID.all.map { row("p", $0, line: 22.5).predictionID })
        #expect(Set(plan.superseded[0].predictionIDs) == expectedStale)
        // Once superseded, they are not superseded again on the next run.
        index.add(.superseded(plan.superseded[0]), timestamp: "t")
        let again = BatchPlan(inputs: [input("p", lines: [20.5, 23.5])], index: index, modelVersions: versions)
        #expect(again.superseded.isEmpty)
    }
}
