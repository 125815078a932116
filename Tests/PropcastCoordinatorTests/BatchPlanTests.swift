@testable import PropcastCoordinator
import PropcastJournal
import PropcastModels
import Testing

@Suite struct BatchPlanTests {
    let date = GameDate("2025-01-15")!
    let versions: [SystemID: String] = [.movingAverage: "ma1", .zoneMatchup: "zm1", .similarity: "sim1",
                                        .xgboost: "xgb1", .ensemble: "ens1"]
    let history = [RecentGame(gameDate: GameDate("2025-01-13")!, points: 21)]

    func input(_ player: PlayerLookup, lines: [Double], quality: Double = 90, games: [RecentGame]? = nil) -> PlayerInput {
        PlayerInput(player: player, gameDate: date, gameID: "G1", features: ["points_avg_season": 20],
                    featureQualityScore: quality, dataSource: .phase4, lineValues: lines.map { LineValue($0) },
                    recentGames: games ?? history)
    }

    /// The journal row the inputs call for, as an honest worker sends it.
    func row(_ input: PlayerInput, _ system: SystemID, line: Double?, versions: [SystemID: String]? = nil) -> PredictionRow {
        let expected = ExpectedPredictions(input, modelVersions: versions ?? self.versions)
        let wanted = expected.row(system: system, line: line.map { LineValue($0) })!
        return PredictionRow(predictionID: wanted.id, systemID: system, player: input.player, gameDate: date, gameID: "G1",
                             predictedPoints: 20, confidenceScore: 50, recommendation: .pass, line: wanted.line,
                             lineMargin: nil, extras: [:], modelVersion: (versions ?? self.versions)[system]!,
                             inputFingerprint: wanted.fingerprint)
    }

    func journalAll(_ input: PlayerInput, into index: inout JournalIndex, versions: [SystemID: String]? = nil) {
        for system in SystemID.all {
            for line in input.lineValues.isEmpty ? [nil] : input.lineValues.map(\.rawValue) {
                index.add(.prediction(row(input, system, line: line, versions: versions)), timestamp: "t")
            }
        }
    }

    @Test func expectedRowsAreEverySystemTimesEveryLine() {
        #expect(ExpectedPredictions(input("p", lines: [20.5, 22.5]), modelVersions: versions).rows.count == 10)
        #expect(ExpectedPredictions(input("p", lines: []), modelVersions: versions).rows.count == 5)
        #expect(ExpectedPredictions(input("p", lines: [20.5]), modelVersions: versions).ids(skipping: [.similarity]).count == 4)
        // Similarity without history is a deterministic skip: not expected at all.
        let noHistory = ExpectedPredictions(input("p", lines: [20.5], games: []), modelVersions: versions)
        #expect(noHistory.deterministicSkips == [.similarity])
        #expect(noHistory.rows.map(\.system) == [.movingAverage, .zoneMatchup, .xgboost, .ensemble])
    }

    @Test func fullyJournaledPlayerIsCompleteAndOthersRemain() {
        var index = JournalIndex()
        let done = input("done", lines: [20.5]), partial = input("partial", lines: [20.5])
        let skipped = input("skipped", lines: [20.5], quality: 50)
        journalAll(done, into: &index)
        index.add(.prediction(row(partial, .movingAverage, line: 20.5)), timestamp: "t")
        index.add(.playerSkipped(JournalEntry.PlayerSkipped(
            player: "skipped", reasons: ["quality 50 below 70"],
            inputFingerprint: ExpectedPredictions(skipped, modelVersions: versions).inputFingerprint)), timestamp: "t")
        let plan = BatchPlan(inputs: [done, partial, skipped, input("new", lines: [20.5])], index: index, modelVersions: versions)
        #expect(plan.alreadyComplete == ["done", "skipped"])
        #expect(plan.remaining == ["partial", "new"])
        #expect(plan.superseded.isEmpty)
    }

    @Test func skipOnOtherInputsNoLongerHolds() {
        var index = JournalIndex()
        let before = input("p", lines: [20.5], quality: 50)
        index.add(.playerSkipped(JournalEntry.PlayerSkipped(
            player: "p", reasons: ["quality 50 below 70"],
            inputFingerprint: ExpectedPredictions(before, modelVersions: versions).inputFingerprint)), timestamp: "t")
        // Phase 4 re-ran: quality is now 90, so the player is predicted.
        let plan = BatchPlan(inputs: [input("p", lines: [20.5], quality: 90)], index: index, modelVersions: versions)
        #expect(plan.remaining == ["p"])
    }

    @Test func systemSkippedOnTheSameInputsDoesNotKeepThePlayerIncomplete() {
        var index = JournalIndex()
        let p = input("p", lines: [20.5])
        let expected = ExpectedPredictions(p, modelVersions: versions)
        for system in SystemID.all where system != .similarity { index.add(.prediction(row(p, system, line: 20.5)), timestamp: "t") }
        index.add(.playerSkipped(JournalEntry.PlayerSkipped(player: "p", system: .similarity,
                                                            reasons: ["insufficient similar games (found 1, need 5)"],
                                                            inputFingerprint: expected.inputFingerprint,
                                                            modelVersion: versions[.similarity])), timestamp: "t")
        #expect(BatchPlan(inputs: [p], index: index, modelVersions: versions).alreadyComplete == ["p"])
        // A new similarity model decides again.
        var upgraded = versions
        upgraded[.similarity] = "sim2"
        #expect(BatchPlan(inputs: [p], index: index, modelVersions: upgraded).remaining == ["p"])
        // The same skip recorded for other inputs excuses nothing.
        var other = JournalIndex()
        for system in SystemID.all where system != .similarity { other.add(.prediction(row(p, system, line: 20.5)), timestamp: "t") }
        other.add(.playerSkipped(JournalEntry.PlayerSkipped(player: "p", system: .similarity, reasons: ["…"],
                                                            inputFingerprint: InputFingerprint(input("p", lines: [], quality: 80), line: nil))),
                  timestamp: "t")
        #expect(BatchPlan(inputs: [p], index: other, modelVersions: versions).remaining == ["p"])
    }

    @Test func withdrawnLineIsSupersededAndNewLineIsPredicted() {
        var index = JournalIndex()
        journalAll(input("p", lines: [20.5, 22.5]), into: &index)
        // Lines moved from [20.5, 22.5] to [20.5, 23.5].
        let moved = input("p", lines: [20.5, 23.5])
        let plan = BatchPlan(inputs: [moved], index: index, modelVersions: versions)
        #expect(plan.remaining == ["p"])
        #expect(plan.superseded.map(\.reason) == [SupersedeReason.lineWithdrawn])
        let expectedStale = Set(SystemID.all.map { row(input("p", lines: [20.5, 22.5]), $0, line: 22.5).predictionID })
        #expect(Set(plan.superseded[0].predictionIDs) == expectedStale)
        // Once superseded, they are not superseded again on the next run.
        index.add(.superseded(plan.superseded[0]), timestamp: "t")
        #expect(BatchPlan(inputs: [moved], index: index, modelVersions: versions).superseded.isEmpty)
    }

    @Test func changedInputsSupersedeEveryRowWithInputsChanged() {
        var index = JournalIndex()
        let before = input("p", lines: [20.5])
        journalAll(before, into: &index)
        journalAll(input("q", lines: [20.5]), into: &index)
        var corrected = before
        corrected.features["points_avg_season"] = 21
        let plan = BatchPlan(inputs: [corrected, input("q", lines: [20.5])], index: index, modelVersions: versions)
        #expect(plan.remaining == ["p"])
        #expect(plan.alreadyComplete == ["q"])
        #expect(plan.superseded.count == 1)
        #expect(plan.superseded[0].reason == SupersedeReason.inputsChanged)
        #expect(plan.superseded[0].predictionIDs.count == 5)
    }

    @Test func newModelVersionSupersedesWithModelChanged() {
        var index = JournalIndex()
        journalAll(input("p", lines: [20.5]), into: &index)
        var upgraded = versions
        upgraded[.xgboost] = "xgb2"
        let plan = BatchPlan(inputs: [input("p", lines: [20.5])], index: index, modelVersions: upgraded)
        #expect(plan.superseded.map(\.reason) == [SupersedeReason.modelChanged])
        #expect(plan.superseded[0].predictionIDs == [row(input("p", lines: [20.5]), .xgboost, line: 20.5).predictionID])
    }

    @Test func lineOfferedAgainAfterItWasWithdrawnIsPredictedAgain() {
        var index = JournalIndex()
        let both = input("p", lines: [20.5, 22.5])
        journalAll(both, into: &index)
        let withdrawn = BatchPlan(inputs: [input("p", lines: [20.5])], index: index, modelVersions: versions)
        index.add(.superseded(withdrawn.superseded[0]), timestamp: "t")
        // 22.5 is offered again with the same inputs: the same ids are expected, and no longer current.
        let again = BatchPlan(inputs: [both], index: index, modelVersions: versions)
        #expect(again.remaining == ["p"])
        let id = row(both, .movingAverage, line: 22.5).predictionID
        #expect(!index.isCurrent(id) && index.supersededIDs.contains(id))
        index.add(.prediction(row(both, .movingAverage, line: 22.5)), timestamp: "t")
        #expect(index.isCurrent(id) && !index.supersededIDs.contains(id))
    }
}

/// Skip reasons in the summary: grouped by rule, each player's own number kept.
@Suite struct ReasonGroupTests {
    @Test func reasonsAreGroupedByRuleAndKeepEachPlayersValue() {
        let gaps = [("jarendosunmu", "feature_quality_score 55.6 is below 70.0"),
                    ("kevinlove", "feature_quality_score 61.2 is below 70.0"),
                    ("a", "missing feature fatigue_score"),
                    ("b", "feature pace_score = 900.0 is outside the plausible range [80.0, 120.0]"),
                    ("c", "feature_quality_score 40.1 is below 70.0")]
            .map { CoverageReport.Gap(player: $0.0, reason: $0.1) }
        let groups = ReasonGroup.groups(of: gaps)
        #expect(groups.map(\.line) == [
            "3 players: feature_quality_score is below 70.0, e.g. jarendosunmu 55.6, kevinlove 61.2, c 40.1",
            "1 player: missing feature fatigue_score, e.g. a",
            "1 player: feature pace_score is outside the plausible range [80.0, 120.0], e.g. b 900.0",
        ])
    }

    @Test func reasonsWithoutThePlayersValueStayWhole() {
        #expect(ReasonGroup.split("worker 10.0.0.5:7420 timed out after 30s (attempt 3 of 3)").value == nil)
        #expect(ReasonGroup.split("7 lines offered, at most 5 allowed") == ("lines offered, at most 5 allowed", "7"))
    }
}

/// The workers a batch dials, from `--workers` and a workers file.
@Suite struct WorkerListTests {
    @Test func commentsBlankLinesAndDefaultPortsInAWorkersFile() throws {
        let file = """
            # the pool
            10.0.0.5:7420   # rack 1

            10.0.0.6
            \t# spare: 10.0.0.7:7420
            """
        let list = try WorkerList(commaSeparated: "127.0.0.1:9000", file: ("workers.txt", file))
        #expect(list.endpoints.map(\.description) == ["127.0.0.1:9000", "10.0.0.5:7420", "10.0.0.6:7420"])
        #expect(list.defaultedPorts.map(\.written) == ["10.0.0.6"])
    }

    @Test func aWorkerListedTwiceOrNoWorkerAtAllIsAConfigurationError() {
        #expect(throws: BatchError.self) { try WorkerList(commaSeparated: "a:1, a:1", file: nil) }
        #expect(throws: BatchError.self) { try WorkerList(commaSeparated: nil, file: ("w.txt", "# nothing\n\n")) }
        #expect(throws: BatchError.self) { try WorkerList(commaSeparated: "host:notaport", file: nil) }
    }
}
