import PropcastCoordinator
import PropcastModels
import Testing

/// Players and credits: dispatch, answers, retries, timeouts, completion.
@Suite struct BatchStateMachineTests {
    @Test func nothingIsSentBeforeTheStartOrWithoutAWorker() {
        var driver = MachineDriver()
        #expect(driver.begin().isEmpty)
        var early = MachineDriver()
        #expect(early.connect("w1", slots: 2).sends.isEmpty)  // connected, but the plan is not journaled yet
        #expect(early.begin().sends.count == 2)
    }

    @Test func aWorkerNeverGetsMoreThanItsSlotsAndAnAnswerFreesOneCredit() {
        var driver = MachineDriver()
        driver.begin()
        let sent = driver.connect("w1", slots: 2).sends
        #expect(sent.map { driver.name($0.player) } == ["a", "b"])
        #expect(sent.allSatisfy { $0.worker == "w1" && $0.attempt == 1 })
        #expect(driver.machine.outstandingRequests == 2)
        let next = driver.answer(sent[0]).sends
        #expect(next.map { driver.name($0.player) } == ["c"])
    }

    @Test func workIsSpreadRoundRobinOverWorkersWithCredit() {
        var driver = MachineDriver(players: (0..<8).map { PlayerLookup("p\($0)") })
        driver.connect("w1", slots: 1)
        driver.connect("w2", slots: 3)
        let sent = driver.begin().sends
        #expect(sent.count == 4)
        #expect(sent.map(\.worker) == ["w1", "w2", "w2", "w2"])
    }

    @Test func lostWorkersRequestsAreRequeuedAndItsLateAnswerIsStale() {
        var driver = MachineDriver()
        driver.begin()
        let first = driver.connect("w1", slots: 2).sends
        #expect(driver.record(driver.machine.workerLost("w1", reason: "connection reset", now: driver.start)).isEmpty)
        #expect(driver.machine.state(of: "a") == .pending)
        let second = driver.connect("w2", slots: 5).sends
        #expect(Set(second.map { driver.name($0.player) }) == ["a", "b", "c", "d", "e"])
        #expect(second.first { driver.name($0.player) == "a" }?.attempt == 2)
        #expect(driver.machine.resultArrived(requestID: first[0].requestID, now: driver.start).isEmpty)
        #expect(driver.machine.counters.staleAnswers == 1)
    }

    @Test func playerFailsAfterMaxAttempts() {
        var driver = MachineDriver(players: ["a"], maxAttempts: 2)
        driver.begin()
        let first = driver.connect("w1", slots: 1).sends
        let second = driver.record(driver.machine.rejected(requestID: first[0].requestID, .retryable, reason: "boom",
                                                           now: driver.start)).sends
        #expect(second.map(\.attempt) == [2])
        let last = driver.record(driver.machine.rejected(requestID: second[0].requestID, .retryable, reason: "boom again",
                                                         now: driver.start))
        #expect(last.failures.map(\.attempts) == [2])
        #expect(last.failures.map(\.reason) == ["boom again"])
        #expect(last.finished)
        #expect(driver.machine.state(of: "a") == .failed)
    }

    @Test func busyRejectionCostsNoAttemptAndPausesTheWorkerUntilItAnswersOrThePauseEnds() {
        var driver = MachineDriver(maxAttempts: 1)
        driver.begin()
        let sent = driver.connect("w1", slots: 2).sends
        let afterBusy = driver.record(driver.machine.rejected(requestID: sent[0].requestID, .busy, reason: "busy",
                                                              now: driver.start))
        #expect(afterBusy.sends.isEmpty)  // no request/reject ping-pong
        #expect(driver.machine.attempts(of: "a") == 0)
        #expect(driver.machine.nextDeadline() == driver.at(.milliseconds(100)))
        #expect(driver.answer(sent[1]).sends.count == 2)  // its answer ends the pause
        var timed = MachineDriver()
        timed.begin()
        let one = timed.connect("w1", slots: 1).sends
        _ = timed.record(timed.machine.rejected(requestID: one[0].requestID, .busy, reason: "busy", now: timed.start))
        #expect(timed.record(timed.machine.tick(now: timed.at(.milliseconds(50)))).sends.isEmpty)
        #expect(timed.record(timed.machine.tick(now: timed.at(.milliseconds(100)))).sends.count == 1)
    }

    @Test func permanentRejectionFailsAtOnce() {
        var driver = MachineDriver()
        driver.begin()
        let sent = driver.connect("w1", slots: 1).sends
        let actions = driver.machine.rejected(requestID: sent[0].requestID, .permanent, reason: "invalid", now: driver.start)
        #expect(actions.failures.map(\.attempts) == [1])
    }

    @Test func overdueRequestIsRequeuedOnceButKeepsItsCreditAndItsLateAnswerCounts() {
        var driver = MachineDriver()
        driver.begin()
        let first = driver.connect("slow", slots: 1).sends
        #expect(driver.machine.nextDeadline() == driver.at(.seconds(10)))
        #expect(driver.record(driver.machine.tick(now: driver.at(.seconds(5)))).isEmpty)
        #expect(driver.record(driver.machine.tick(now: driver.at(.seconds(11)))).sends.isEmpty)  // credit still taken
        #expect(driver.machine.state(of: "a") == .pending)
        #expect(driver.machine.counters.timeouts == 1)
        #expect(driver.machine.nextDeadline() == driver.at(.seconds(20)))  // the hung check
        let late = driver.record(driver.machine.resultArrived(requestID: first[0].requestID, now: driver.at(.seconds(12))))
        #expect(late.checks.map(\.player) == [0])
        #expect(late.sends.map { driver.name($0.player) } == ["b"])
    }

    @Test func anAnsweredRequestAtTheFrontDoesNotHideTheDeadlineOfTheNext() {
        var driver = MachineDriver()
        driver.begin()
        let sent = driver.connect("w1", slots: 2).sends
        driver.answer(sent[0], at: .seconds(1))  // the oldest is answered; the second hangs
        #expect(driver.machine.nextDeadline() == driver.at(.seconds(10)))
        _ = driver.record(driver.machine.tick(now: driver.at(.seconds(10))))
        #expect(driver.machine.counters.timeouts == 1)
    }

    @Test func workerSittingOnARequestTwiceItsTimeoutIsDroppedAndItsWorkRequeued() {
        var driver = MachineDriver()
        driver.begin()
        driver.connect("hung", slots: 1)
        var ok = driver.connect("ok", slots: 1).sends
        while let next = ok.popLast() { ok += driver.answer(next, at: .seconds(1)).sends }  // the healthy one answers all
        _ = driver.record(driver.machine.tick(now: driver.at(.seconds(11))))
        let dropped = driver.record(driver.machine.tick(now: driver.at(.seconds(21))))
        #expect(dropped.closed == ["hung"])
        #expect(driver.machine.workersUp == 1)
        #expect(driver.machine.workerErrors["hung"]?.contains("hung: no answer within") == true)
        // Its timed-out player went to the healthy worker on its second attempt.
        #expect(driver.log.sends.contains { $0.worker == "ok" && driver.name($0.player) == "a" && $0.attempt == 2 })
    }

    @Test func finishedOnlyOnceEveryPlayerIsTerminalAndNothingIsBeingChecked() {
        var driver = MachineDriver(players: ["x", "y"], maxAttempts: 1)
        driver.connect("w", slots: 4)
        let sent = driver.begin(alreadyComplete: ["y"]).sends
        #expect(sent.map { driver.name($0.player) } == ["x"])
        let arrived = driver.record(driver.machine.resultArrived(requestID: sent[0].requestID, now: driver.start))
        #expect(!arrived.finished && !driver.machine.isFinished)  // being checked
        #expect(driver.record(driver.machine.answerAccepted(sent[0].player, skipped: true)) == [.finished])
        #expect(driver.machine.state(of: "x") == .skipped)
        #expect(!driver.machine.shouldConnect("w"))
    }

    @Test func everythingAlreadyCompleteFinishesAtTheStart() {
        var driver = MachineDriver(players: ["x"])
        #expect(driver.begin(alreadyComplete: ["x"]) == [.finished])
    }

    @Test func drainingWorkerGetsNoNewWorkAndFailedSendCostsNothing() {
        var driver = MachineDriver()
        driver.begin()
        let sent = driver.connect("w1", slots: 1).sends
        driver.machine.sendFailed(sent[0])
        #expect(driver.machine.attempts(of: "a") == 0)
        #expect(driver.machine.outstandingRequests == 0)
        driver.machine.workerDraining("w1")
        #expect(driver.record(driver.machine.tick(now: driver.start)).sends.isEmpty)
    }

    @Test func incompleteAnswerIsRetriedThenFails() {
        var driver = MachineDriver(players: ["a"], maxAttempts: 2)
        driver.begin()
        let first = driver.connect("w", slots: 1).sends
        _ = driver.record(driver.machine.resultArrived(requestID: first[0].requestID, now: driver.start))
        let second = driver.record(driver.machine.answerIncomplete(0, reason: "xgboost_v1 failed", now: driver.start)).sends
        #expect(second.map(\.attempt) == [2])
        _ = driver.record(driver.machine.resultArrived(requestID: second[0].requestID, now: driver.start))
        let last = driver.record(driver.machine.answerIncomplete(0, reason: "xgboost_v1 failed", now: driver.start))
        #expect(last.failures.map(\.reason) == ["xgboost_v1 failed"])
        #expect(last.finished)
        #expect(driver.machine.counters.incompleteAnswers == 2)
    }
}
