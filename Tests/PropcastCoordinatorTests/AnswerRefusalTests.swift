import Foundation
import PropcastCoordinator
import PropcastJournal
import PropcastModels
import PropcastWire
import PropcastTestSupport
import Testing

/// Workers with valid certificates that lie or break, over real mutual TLS, next to honest
/// workers: nothing they make up is journaled, and the batch still ends with exactly the
/// reference rows (the in-process engine's) for every player.
@Suite(.serialized, .realProcesses) struct AnswerRefusalTests {
    enum Lie: String, CaseIterable, Sendable {
        case absurdConfidence, unrequestedLine, unannouncedModelVersion, missingRows
    }

    /// Rewrites an honest answer into `lie`, with ids derived correctly so only the
    /// coordinator's check can tell.
    static func tell(_ lie: Lie, _ request: WirePredictRequest, _ result: inout WirePredictResult) {
        guard !result.predictions.isEmpty, let input = try? request.playerInput() else { return }
        switch lie {
        case .absurdConfidence:
            result.predictions[0].confidenceScore = 1e9
        case .unrequestedLine:
            var extra = result.predictions[0]
            let line = LineValue(99.5)
            let fingerprint = InputFingerprint(input, line: line)
            extra.line = line.rawValue
            extra.inputFingerprint = fingerprint.hex
            extra.predictionID = PredictionID(gameDate: input.gameDate, player: input.player, gameID: input.gameID,
                                              system: SystemID(rawValue: extra.systemID), line: line,
                                              modelVersion: extra.modelVersion, inputFingerprint: fingerprint).description
            result.predictions.append(extra)
        case .unannouncedModelVersion:
            for index in result.predictions.indices where result.predictions[index].systemID == SystemID.xgboost.rawValue {
                var row = result.predictions[index]
                row.modelVersion = "xgboost_v1-unannounced"
                let line = row.hasLine ? LineValue(row.line) : nil
                row.predictionID = PredictionID(gameDate: input.gameDate, player: input.player, gameID: input.gameID,
                                                system: .xgboost, line: line, modelVersion: row.modelVersion,
                                                inputFingerprint: InputFingerprint(hex: row.inputFingerprint)).description
                result.predictions[index] = row
            }
        case .missingRows:
            result.predictions.removeAll { $0.systemID == SystemID.ensemble.rawValue }
        }
    }

    @Test(arguments: Lie.allCases)
    func lyingWorkerIsRefusedAndHonestWorkersGiveTheReferenceSet(_ lie: Lie) async throws {
        let pool = try await PoolHarness()
        let honest = pool.honest
        let liar = try await pool.startWorker(TamperingExecutor(honest: honest) { Self.tell(lie, $0, &$1) }, slots: 2)
        try await pool.startWorker(honest, slots: 2)
        let report = try await pool.runBatch()
        let journaled = try pool.journaledRows()
        for (player, expected) in try pool.referenceRows() {
            #expect((journaled[player] ?? []) == expected, "\(lie): \(player) has other rows than the reference")
        }
        #expect(report.statistics.invalidAnswers >= 1, "\(lie): no answer was refused")
        let complaint = report.statistics.invalidAnswersByWorker["127.0.0.1:\(liar)"]?.lastReason ?? ""
        #expect(complaint.contains("sent an invalid answer"), "\(lie): \(complaint)")
        let named: [Lie: String] = [
            .absurdConfidence: "confidence 1000000000.0 for", .unrequestedLine: "line 99.5, a line nobody asked for",
            .unannouncedModelVersion: "model version 'xgboost_v1-unannounced', which it did not announce",
            .missingRows: "did not answer ensemble_v1",
        ]
        #expect(complaint.contains(named[lie]!), "\(lie): \(complaint)")
        if case .clean = try pool.journal().verdict {} else { Issue.record("journal does not verify") }
        await pool.stop()
    }

    @Test func workerThatLiesEveryTimeIsNotUsedForTheRestOfTheBatch() async throws {
        let pool = try await PoolHarness()
        let honest = pool.honest
        let liar = try await pool.startWorker(TamperingExecutor(honest: honest) { Self.tell(.absurdConfidence, $0, &$1) })
        // The honest worker is slow, so the liar has every chance to offend again.
        try await pool.startWorker(TamperingExecutor(honest: honest) { _, _ in usleep(2_000) }, slots: 1)
        let report = try await pool.runBatch()
        let refusal = try #require(report.refusedWorkers["127.0.0.1:\(liar)"])
        #expect(refusal.contains("sent an invalid answer: confidence 1000000000.0 for"), "\(refusal)")
        #expect(refusal.contains("not used for the rest of this batch"), "\(refusal)")
        // Every invalid answer of the liar's first frames counts; once refused it gets nothing more,
        // so no more than one connection's worth of frames was ever refused.
        let refused = report.statistics.invalidAnswers
        #expect(refused >= 2 && refused <= 2 * BatchStateMachine.Configuration().maxPlayersPerFrame, "\(refused) refused")
        #expect(report.summary.contains("worker refused: 127.0.0.1:\(liar)"))
        #expect(report.coverage.failed.isEmpty && report.coverage.missing.isEmpty)
        await pool.stop()
    }
}
