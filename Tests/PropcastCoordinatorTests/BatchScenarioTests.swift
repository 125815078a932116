import PropcastCoordinator
import PropcastModels
import PropcastWire
import Testing

/// The batch actor and its state machine through kills, hangs, slow workers, rejection
/// storms, lies and a stop — fake links and an in-memory journal, milliseconds each. Every
/// scenario ends with exactly the engine's rows for every player it finished, none twice.
@Suite struct BatchScenarioTests {
    func expectReference(_ scenario: Scenario, _ label: String) async {
        let journaled = await scenario.journaledRows()
        for (player, expected) in scenario.referenceRows() {
            #expect(journaled[player] == expected, "\(label): \(player)")
        }
        let ids = await scenario.journal.entries.compactMap(\.predictionID)
        #expect(ids.count == Set(ids).count, "\(label): a prediction was journaled twice")
        await expectCoverageAgrees(scenario, label)
    }

    /// The batch's verdicts (reached as players left it) give the coverage the journal gives.
    func expectCoverageAgrees(_ scenario: Scenario, _ label: String) async {
        let coverage = await scenario.coverage()
        #expect(coverage.batch == coverage.journal, "\(label)")
    }

    @Test func playersArriveInChunksAndTheBatchHoldsOnlyWhatTheWorkersCanTakePlusTheReadAhead() async throws {
        let scenario = try Scenario()
        await scenario.connect("w1", slots: 1, perFrame: 2)
        #expect(try await scenario.run(chunkSize: 4, readAhead: 4) == .finished)
        await expectReference(scenario, "chunked")
        let statistics = await scenario.batch.statistics
        // At most: the worker's 2, the read-ahead 4 and the chunk taken when there was room.
        #expect(statistics.mostInputsHeld <= 2 + 4 + 4, "held \(statistics.mostInputsHeld)")
        #expect(statistics.inputsHeld == 0, "every input is released once answered")
        #expect(statistics.playersToPredict == scenario.inputs.count)
    }

    @Test func twoHonestWorkersJournalTheReferenceRows() async throws {
        let scenario = try Scenario()
        let first = await scenario.connect("w1")
        let second = await scenario.connect("w2")
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "honest")
        #expect(first.received > 0 && second.received > 0, "both workers got work")
        #expect(first.goodbye != nil, "the batch said Goodbye when it finished")
    }

    @Test func playersTravelInFramesAndEachFrameIsJournaledInOneCommit() async throws {
        let scenario = try Scenario()
        let first = await scenario.connect("w1", slots: 1, perFrame: 8)
        let second = await scenario.connect("w2", slots: 1, perFrame: 8)
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "framed")
        let statistics = await scenario.batch.statistics
        let players = scenario.inputs.count
        // The batch spread over 4 rounds of the 2 slots: frames of players / 8 (at most 8).
        #expect(statistics.framesSent >= players / 8 && statistics.framesSent <= players / 2,
                "\(statistics.framesSent) frames for \(players) players")
        #expect(first.received + second.received == players)
        #expect(await scenario.journal.commits <= statistics.framesSent, "a frame's answers share one commit")
    }

    @Test func killedWorkersRequestsAreAnsweredByTheOther() async throws {
        let scenario = try Scenario()
        await scenario.connect("dies", slots: 4, .dies(afterAnswers: 3))
        await scenario.connect("ok", slots: 2)
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "kill")
        #expect(await scenario.batch.statistics.workerDisconnects == 1)
        #expect(await scenario.batch.workerErrors["dies"]?.contains("connection reset by peer") == true)
    }

    @Test func hungWorkerTimesOutIsDroppedAndItsPlayersAreAnsweredElsewhere() async throws {
        // Attempts to spare: on a loaded machine the honest worker may miss the deadline too.
        let scenario = try Scenario(timeout: .seconds(1), maxAttempts: 10)
        let hung = await scenario.connect("hung", slots: 2, .hang)
        await scenario.connect("ok", slots: 2)
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "hang")
        let statistics = await scenario.batch.statistics
        #expect(statistics.timeouts >= 1)
        #expect(hung.received >= 1)
    }

    @Test func slowWorkerDoesNotHoldTheBatch() async throws {
        let scenario = try Scenario()
        let slow = await scenario.connect("slow", slots: 1, .slow(.milliseconds(30)))
        let fast = await scenario.connect("fast", slots: 4)
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "slow")
        #expect(fast.received > slow.received)
    }

    @Test func rejectionStormCostsNoAttempt() async throws {
        let scenario = try Scenario(maxAttempts: 1)
        await scenario.connect("busy", slots: 4, .busyFirst(60))
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "busy")
        #expect(await scenario.batch.statistics.playersFailed == 0)
    }

    @Test func liarIsRefusedAndNothingItMadeUpIsJournaled() async throws {
        let scenario = try Scenario(maxInvalidAnswers: 1)
        let liar = await scenario.connect("liar", slots: 2, .tampers { $0.predictions[0].confidenceScore = 1e9 })
        await scenario.connect("honest", slots: 2)
        #expect(try await scenario.run() == .finished)
        await expectReference(scenario, "lie")
        let refusal = await scenario.batch.refusedWorkers["liar"] ?? ""
        #expect(refusal.contains("sent an invalid answer: confidence 1000000000.0"), "\(refusal)")
        #expect(liar.goodbye != nil, "the liar was disconnected")
        #expect(await !scenario.batch.shouldConnect("liar"), "and is not taken back")
    }

    @Test func stopEndsTheBatchSendsNothingMoreAndKeepsWhatWasJournaled() async throws {
        let scenario = try Scenario()
        let slow = await scenario.connect("slow", slots: 1, .slow(.milliseconds(5)))
        let batch = scenario.batch
        let outcome = try await scenario.run {
            while !Task.isCancelled, await batch.statistics.playersPredicted < 3 { try? await Task.sleep(for: .milliseconds(1)) }
            await batch.interrupt()
        }
        #expect(outcome == .interrupted)
        let sentAtStop = slow.received
        try await Task.sleep(for: .milliseconds(30))
        #expect(slow.received == sentAtStop, "nothing is sent after the stop")
        let journaled = await scenario.journaledRows()
        #expect(journaled.count >= 3 && journaled.count < scenario.inputs.count)
        let reference = scenario.referenceRows()
        for (player, rows) in journaled { #expect(rows == reference[player], "\(player) is complete or absent") }
        await expectCoverageAgrees(scenario, "stop")
        #expect(await scenario.coverage().batch.missing.count == scenario.inputs.count - journaled.count
                - (await scenario.coverage().batch.skipped.count))
    }

    @Test func losingEveryWorkerGivesUpAfterTheGracePeriod() async throws {
        let scenario = try Scenario(grace: .milliseconds(100))
        await scenario.connect("dies", slots: 2, .dies(afterAnswers: 2))
        #expect(try await scenario.run() == .abandoned)
        let journaled = await scenario.journaledRows()
        #expect(journaled.count < scenario.inputs.count)
        #expect(await scenario.batch.statistics.playersFailed == 0, "abandoned players are missing, not failed")
        await expectCoverageAgrees(scenario, "abandoned")
    }
}
