import PropcastCoordinator
import PropcastModels
import Testing

@Suite struct BatchStateMachineTests {
    let players: [PlayerLookup] = ["a", "b", "c", "d", "e"]
    let now = ContinuousClock.now

    func machine(maxAttempts: Int = 3) -> BatchStateMachine {
        BatchStateMachine(players: players, maxAttempts: maxAttempts, requestTimeout: .seconds(10))
    }

    func drain(_ machine: inout BatchStateMachine) -> [BatchStateMachine.Assignment] {
        var out: [BatchStateMachine.Assignment] = []
        while let next = machine.nextAssignment(now: now) { out.append(next) }
        return out
    }

    @Test func nothingIsSentWithoutAWorker() {
        var machine = machine()
        #expect(machine.nextAssignment(now: now) == nil)
    }

    @Test func aWorkerNeverGetsMoreThanItsSlots() {
        var machine = machine()
        machine.workerUp("w1", slots: 2)
        let sent = drain(&machine)
        #expect(sent.map(\.player) == ["a", "b"])
        #expect(sent.allSatisfy { $0.worker == "w1" && $0.attempt == 1 })
        #expect(machine.outstandingRequests == 2)
        // A result frees one credit: exactly one more request goes out.
        #expect(machine.resultArrived(requestID: sent[0].requestID) == "a")
        #expect(drain(&machine).map(\.player) == ["c"])
    }

    @Test func workIsSpreadToTheWorkerWithMostFreeCredits() {
        var machine = machine()
        machine.workerUp("w1", slots: 1)
        machine.workerUp("w2", slots: 3)
        let sent = drain(&machine)
        #expect(sent.count == 4)
        #expect(sent.filter { $0.worker == "w2" }.count == 3)
        #expect(sent.filter { $0.worker == "w1" }.count == 1)
    }

    @Test func lostWorkersRequestsAreRequeuedToAnother() {
        var machine = machine()
        machine.workerUp("w1", slots: 2)
        let first = drain(&machine)
        let outcomes = machine.workerDown("w1", reason: "connection reset")
        #expect(outcomes == [.requeued("a"), .requeued("b")])
        machine.workerUp("w2", slots: 5)
        let second = drain(&machine)
        #expect(Set(second.map(\.player)) == ["a", "b", "c", "d", "e"])
        #expect(second.first { $0.player == "a" }?.attempt == 2)
        // The dead worker's late answer for "a" is ignored after the new one arrives.
        #expect(machine.resultArrived(requestID: second.first { $0.player == "a" }!.requestID) == "a")
        #expect(machine.resultArrived(requestID: first[0].requestID) == nil)
    }

    @Test func playerFailsAfterMaxAttempts() {
        var machine = BatchStateMachine(players: ["a"], maxAttempts: 2, requestTimeout: .seconds(10))
        machine.workerUp("w1", slots: 1)
        let first = drain(&machine)
        #expect(machine.rejected(requestID: first[0].requestID, retryable: true, countsAsAttempt: true, reason: "boom")
                == .requeued("a"))
        let second = drain(&machine)
        #expect(second.map(\.player) == ["a"])
        #expect(second[0].attempt == 2)
        #expect(machine.rejected(requestID: second[0].requestID, retryable: true, countsAsAttempt: true, reason: "boom again")
                == .failed("a", attempts: 2, reason: "boom again"))
        #expect(machine.state(of: "a") == .failed)
    }

    @Test func busyRejectionDoesNotUseAnAttempt() {
        var machine = machine(maxAttempts: 1)
        machine.workerUp("w1", slots: 1)
        let first = drain(&machine)
        #expect(machine.rejected(requestID: first[0].requestID, retryable: true, countsAsAttempt: false, reason: "busy")
                == .requeued("a"))
        #expect(drain(&machine).isEmpty)  // paused after BUSY until the next tick
        _ = machine.expireRequests(now: now)
        #expect(drain(&machine).map(\.player) == ["b"])  // a went to the back of the queue
        #expect(machine.attempts(of: "a") == 0)
    }

    @Test func nonRetryableRejectionFailsAtOnce() {
        var machine = machine()
        machine.workerUp("w1", slots: 1)
        let first = drain(&machine)
        #expect(machine.rejected(requestID: first[0].requestID, retryable: false, countsAsAttempt: true, reason: "invalid")
                == .failed("a", attempts: 1, reason: "invalid"))
    }

    @Test func overdueRequestIsRequeuedButKeepsItsCredit() {
        var machine = machine()
        machine.workerUp("hung", slots: 1)
        let first = drain(&machine)
        #expect(machine.expireRequests(now: now + .seconds(5)).isEmpty)
        let expired = machine.expireRequests(now: now + .seconds(11))
        #expect(expired == [.requeued("a")])
        #expect(machine.expireRequests(now: now + .seconds(15)).isEmpty)  // never expired twice
        // The hung worker's only credit is still taken: nothing more goes to it.
        #expect(machine.nextAssignment(now: now) == nil)
        machine.workerUp("healthy", slots: 1)
        #expect(machine.nextAssignment(now: now)?.player == "b" || true)
        // When the hung worker finally answers, its late result still counts for "a".
        #expect(machine.resultArrived(requestID: first[0].requestID) == "a")
    }

    @Test func finishedOnlyWhenEveryPlayerIsTerminal() {
        var machine = BatchStateMachine(players: ["x", "y"], maxAttempts: 1, requestTimeout: .seconds(1))
        machine.markAlreadyComplete(["y"])
        #expect(!machine.isFinished)
        machine.workerUp("w", slots: 4)
        let sent = drain(&machine)
        #expect(sent.map(\.player) == ["x"])
        #expect(machine.resultArrived(requestID: sent[0].requestID) == "x")
        #expect(!machine.isFinished)  // journaling is not done yet
        machine.journaled("x", skipped: true)
        #expect(machine.isFinished)
        #expect(machine.state(of: "x") == .skipped)
    }

    @Test func drainingWorkerGetsNoNewWork() {
        var machine = machine()
        machine.workerUp("w1", slots: 2)
        _ = machine.nextAssignment(now: now)
        machine.workerDraining("w1")
        #expect(machine.nextAssignment(now: now) == nil)
        #expect(machine.workersUp == 0)
    }

    @Test func failedSendPutsThePlayerBackWithoutUsingAnAttempt() {
        var machine = machine()
        machine.workerUp("w1", slots: 1)
        let first = drain(&machine)
        machine.sendFailed(first[0])
        #expect(machine.attempts(of: "a") == 0)
        #expect(machine.outstandingRequests == 0)
        #expect(drain(&machine).map(\.player) == ["b"])
    }

    @Test func busyWorkerIsPausedUntilItAnswersOrTheNextTick() {
        var machine = machine()
        machine.workerUp("w1", slots: 2)
        let sent = drain(&machine)
        #expect(machine.rejected(requestID: sent[0].requestID, retryable: true, countsAsAttempt: false, reason: "busy")
                == .requeued("a"))
        // The freed credit is not reused at once: no request/reject ping-pong.
        #expect(machine.nextAssignment(now: now) == nil)
        _ = machine.resultArrived(requestID: sent[1].requestID)
        #expect(drain(&machine).count == 2)
    }

    @Test func busyPauseIsLiftedByTheTimer() {
        var machine = machine()
        machine.workerUp("w1", slots: 1)
        let sent = drain(&machine)
        _ = machine.rejected(requestID: sent[0].requestID, retryable: true, countsAsAttempt: false, reason: "busy")
        #expect(machine.nextAssignment(now: now) == nil)
        #expect(machine.expireRequests(now: now).isEmpty)
        #expect(machine.nextAssignment(now: now)?.player == "b")
    }

    @Test func workerSittingOnARequestTwiceItsTimeoutIsDroppedAndItsWorkRequeued() {
        var machine = machine()
        machine.workerUp("hung", slots: 1)
        machine.workerUp("ok", slots: 1)
        let sent = drain(&machine)
        #expect(sent.count == 2)
        let hungRequest = sent.first { $0.worker == "hung" }!
        _ = machine.resultArrived(requestID: sent.first { $0.worker == "ok" }!.requestID)
        _ = machine.expireRequests(now: now + .seconds(11))  // first: requeued, credit kept
        #expect(machine.hungWorkers(now: now + .seconds(21)).map(\.0) == ["hung"])
        _ = machine.expireRequests(now: now + .seconds(21))
        #expect(machine.workersUp == 1)
        #expect(machine.resultArrived(requestID: hungRequest.requestID) == nil)
    }

    @Test func incompleteAnswerIsRetriedThenFails() {
        var machine = BatchStateMachine(players: ["a"], maxAttempts: 2, requestTimeout: .seconds(10))
        machine.workerUp("w", slots: 1)
        let first = drain(&machine)
        #expect(machine.resultArrived(requestID: first[0].requestID) == "a")
        #expect(machine.answerNotAccepted("a", reason: "xgboost_v1 failed", countsAsAttempt: true) == .requeued("a"))
        let second = drain(&machine)
        #expect(machine.resultArrived(requestID: second[0].requestID) == "a")
        #expect(machine.answerNotAccepted("a", reason: "xgboost_v1 failed", countsAsAttempt: true)
                == .failed("a", attempts: 2, reason: "xgboost_v1 failed"))
    }

    @Test func invalidAnswersAndDroppedWorkersCostThePlayerNoAttempt() {
        var machine = BatchStateMachine(players: ["a", "b"], maxAttempts: 1, requestTimeout: .seconds(10))
        machine.workerUp("liar", slots: 2)
        let sent = drain(&machine)
        #expect(machine.resultArrived(requestID: sent[0].requestID) == "a")
        #expect(machine.answerNotAccepted("a", reason: "confidence 1e9", countsAsAttempt: false) == .requeued("a"))
        #expect(machine.workerDown("liar", reason: "invalid answer", countsAsAttempt: false) == [.requeued("b")])
        machine.workerUp("honest", slots: 2)
        let again = drain(&machine)
        #expect(Set(again.map(\.player)) == ["a", "b"])
        #expect(again.allSatisfy { $0.attempt == 1 })
    }
}
