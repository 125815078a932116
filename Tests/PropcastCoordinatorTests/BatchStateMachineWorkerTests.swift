import PropcastCoordinator
import PropcastModels
import Testing

/// Workers: acceptance, refusal, lying, reachability, giving up — and the batch at scale.
@Suite struct BatchStateMachineWorkerTests {
    @Test func firstWorkerFixesTheModelsAndAWorkerWithOthersIsRefused() {
        var driver = MachineDriver()
        #expect(driver.connect("w1", slots: 1) == [.workersAgreed(MachineDriver.versions)])
        var other = MachineDriver.versions
        other[.xgboost] = "xgboost_v2"
        let refused = driver.machine.workerConnected("w2", slots: 1, modelVersions: other, now: driver.start)
        #expect(refused.closed == ["w2"])
        #expect(driver.machine.refusal(of: "w2")?.contains("deploy the same Ops/models to every worker") == true)
        #expect(!driver.machine.shouldConnect("w2"))
        // Refused for the batch: even with the right models it is not taken back.
        #expect(driver.connect("w2", slots: 1).closed == ["w2"])
    }

    @Test func aWorkerConnectingAgainBeforeItsLossHandsBackWhatItHeldAtNoCost() {
        var driver = MachineDriver(players: ["a", "b"], maxAttempts: 1)
        driver.begin()
        let first = driver.connect("w1", slots: 2).sends
        let again = driver.connect("w1", slots: 2).sends
        #expect(Set(again.map(\.player)) == Set(first.map(\.player)), "its two players are sent again")
        #expect(again.allSatisfy { $0.attempt == 1 })
        #expect(driver.machine.outstandingRequests == 2)
        #expect(driver.machine.resultArrived(requestID: first[0].requestID, now: driver.start).isEmpty, "old answers are stale")
    }

    @Test func workerWithoutAllFiveSystemsIsRefused() {
        var driver = MachineDriver()
        var partial = MachineDriver.versions
        partial[.similarity] = nil
        let actions = driver.machine.workerConnected("w1", slots: 1, modelVersions: partial, now: driver.start)
        #expect(actions.closed == ["w1"])
        #expect(driver.machine.refusal(of: "w1")?.contains("does not announce similarity_balanced_v1") == true)
        #expect(driver.machine.modelVersions == nil)
    }

    @Test func invalidAnswersCostNoAttemptDisconnectAndRefuseAfterTheLimit() {
        var driver = MachineDriver(players: ["a", "b", "c"], maxAttempts: 1)
        driver.begin()
        let sent = driver.connect("liar", slots: 2).sends
        _ = driver.record(driver.machine.resultArrived(requestID: sent[0].requestID, now: driver.start))
        let refused = driver.record(driver.machine.answerRefused(sent[0].player, from: "liar", reason: "confidence 1e9",
                                                                 now: driver.start))
        #expect(refused.closed == ["liar"])
        #expect(refused.failures.isEmpty)  // neither its player nor the other it held lose their only attempt
        #expect(driver.machine.state(of: "a") == .pending && driver.machine.state(of: "b") == .pending)
        #expect(driver.machine.shouldConnect("liar"))  // one offence: it may reconnect
        let again = driver.connect("liar", slots: 2).sends
        #expect(again.allSatisfy { $0.attempt == 1 })
        _ = driver.record(driver.machine.resultArrived(requestID: again[0].requestID, now: driver.start))
        _ = driver.record(driver.machine.answerRefused(again[0].player, from: "liar", reason: "confidence 1e9",
                                                       now: driver.start))
        #expect(driver.machine.invalidAnswers(from: "liar") == 2)
        #expect(driver.machine.refusal(of: "liar")?.contains("not used for the rest of this batch") == true)
        #expect(!driver.machine.shouldConnect("liar"))
        let honest = driver.connect("honest", slots: 3).sends
        #expect(Set(honest.map { driver.name($0.player) }) == ["a", "b", "c"])
    }

    @Test func everyConfiguredWorkerUnreachableEndsTheWaitAtOnce() {
        var driver = MachineDriver(workers: ["w1", "w2"])
        #expect(driver.machine.workerUnreachable("w1", reason: "connection refused").isEmpty)
        #expect(driver.machine.workerUnreachable("w2", reason: "connection refused") == [.noWorkerReachable])
        #expect(driver.machine.workerErrors == ["w1": "connection refused", "w2": "connection refused"])
    }

    @Test func noWorkerWithinTheGracePeriodEndsTheWait() {
        var driver = MachineDriver(grace: .seconds(15))
        #expect(driver.machine.nextDeadline() == driver.at(.seconds(15)))
        #expect(driver.machine.tick(now: driver.at(.seconds(14))).isEmpty)
        #expect(driver.machine.tick(now: driver.at(.seconds(15))) == [.noWorkerReachable])
    }

    @Test func withoutAnyWorkerForTheGracePeriodTheBatchGivesUpLeavingTheRestForRetry() {
        var driver = MachineDriver(grace: .seconds(5))
        driver.begin()
        driver.connect("w1", slots: 1)
        _ = driver.record(driver.machine.workerLost("w1", reason: "reset", now: driver.at(.seconds(1))))
        #expect(driver.machine.nextDeadline() == driver.at(.seconds(6)))
        let actions = driver.machine.tick(now: driver.at(.seconds(6)))
        #expect(actions == [.giveUp(reason: "no worker available for 5.0 seconds")])
        #expect(driver.machine.playersFinished == 0, "abandoned players are missing, not failed")
        #expect(driver.machine.tick(now: driver.at(.seconds(7))).isEmpty)  // stopped
    }

    @Test func stopSendsNothingMoreAndIgnoresLateEvents() {
        var driver = MachineDriver()
        driver.begin()
        let sent = driver.connect("w1", slots: 1).sends
        driver.machine.stop()
        #expect(driver.machine.resultArrived(requestID: sent[0].requestID, now: driver.start).isEmpty)
        #expect(driver.machine.workerLost("w1", reason: "closed", now: driver.start).isEmpty)
        #expect(driver.machine.tick(now: driver.at(.seconds(60))).isEmpty)
        #expect(!driver.machine.shouldConnect("w1"))
    }

    /// 20,000 players over 4 workers answered in arrival order: every player exactly once,
    /// finished exactly once, and every event's actions bounded by the freed credits.
    @Test func aLargeBatchIsDispatchedAndFinishedExactlyOnce() {
        let players = (0..<20_000).map { PlayerLookup("p\($0)") }
        var driver = MachineDriver(players: players, workers: ["w1", "w2", "w3", "w4"])
        driver.begin()
        var inFlight: [BatchStateMachine.Assignment] = []
        for worker: WorkerID in ["w1", "w2", "w3", "w4"] { inFlight += driver.connect(worker, slots: 8).sends }
        var answered = Set<Int>()
        var finishes = 0
        var cursor = 0
        while cursor < inFlight.count {
            let assignment = inFlight[cursor]
            cursor += 1
            let actions = driver.answer(assignment)
            #expect(actions.sends.count <= 1)
            inFlight += actions.sends
            answered.insert(assignment.player)
            finishes += actions.filter { $0 == .finished }.count
        }
        #expect(answered.count == players.count)
        #expect(finishes == 1)
        #expect(driver.machine.isFinished)
        #expect(driver.machine.outstandingRequests == 0)
    }

    @Test func workersConnectBeforeThePlayersAreLoaded() {
        var driver = MachineDriver(players: [])
        #expect(driver.connect("w1", slots: 2).contains(.workersAgreed(MachineDriver.versions)))
        driver.machine.beginLoading(expecting: 4)
        #expect(driver.record(driver.machine.add(players: ["a", "b", "c"], now: driver.start)).sends.isEmpty,
                "nothing is sent before the start")
        #expect(driver.machine.playerCount == 3)
        let sent = driver.begin().sends
        #expect(sent.map { driver.name($0.player) } == ["a", "b"])
        #expect(driver.machine.sendCapacity == 2 && driver.machine.unsettledPlayers == 3)
    }

    @Test func playersAddedWhileDispatchingGoOutAndTheBatchWaitsForTheLastChunk() {
        var driver = MachineDriver(players: [])
        driver.connect("w1", slots: 1)
        driver.machine.beginLoading(expecting: 3)
        driver.record(driver.machine.add(players: ["a"], alreadyComplete: [], now: driver.start))
        let first = driver.begin().sends
        #expect(first.map { driver.name($0.player) } == ["a"])
        let answered = driver.answer(first[0])
        #expect(!answered.finished, "more players are still to come")
        #expect(!driver.machine.isFinished)
        // The next chunk: one already complete, one to send (the free credit takes it at once).
        let second = driver.record(driver.machine.add(players: ["b", "c", "a"], alreadyComplete: ["b"], now: driver.start))
        #expect(second.sends.map { driver.name($0.player) } == ["c"])
        #expect(driver.machine.playerCount == 3, "a player already in the batch is not added twice")
        #expect(driver.machine.state(of: "b") == .done)
        #expect(!driver.answer(second.sends[0]).finished)
        #expect(driver.record(driver.machine.loadingFinished(now: driver.start)).finished)
        #expect(driver.machine.isFinished)
    }

    @Test func aBatchWithoutPlayersFinishesWhenLoadingEnds() {
        var driver = MachineDriver(players: [])
        driver.connect("w1", slots: 1)
        driver.machine.beginLoading(expecting: 0)
        #expect(driver.record(driver.machine.loadingFinished(now: driver.start)).finished)
    }
}
