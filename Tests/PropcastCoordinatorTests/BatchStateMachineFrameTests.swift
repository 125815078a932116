import PropcastCoordinator
import PropcastModels
import Testing

/// Several players per frame: frame sizes, credits per frame, timeouts and losses inside a frame.
@Suite struct BatchStateMachineFrameTests {
    static func players(_ count: Int) -> [PlayerLookup] { (0..<count).map { PlayerLookup("p\($0)") } }

    @Test func framesSpreadTheBatchOverRoundsOfEverySlotWithinTheWorkersLimit() {
        var driver = MachineDriver(players: Self.players(100))
        driver.connect("w1", slots: 2, perFrame: 5)
        driver.connect("w2", slots: 2, perFrame: 32)
        let frames = driver.begin().frames
        // 100 players over 4 rounds of 4 slots: 7 per frame (rounded up), 5 for w1 (its cap).
        #expect(frames.map(\.count) == [5, 7, 5, 7])
        #expect(frames.map { $0[0].worker } == ["w1", "w2", "w1", "w2"])
        #expect(frames.allSatisfy { frame in frame.allSatisfy { $0.worker == frame[0].worker && $0.frame == frame[0].frame } })
        #expect(Set(frames.map { $0[0].frame }).count == 4)
        #expect(driver.machine.counters.framesSent == 4)
        #expect(driver.machine.outstandingRequests == 24)
    }

    @Test func aFramesCreditIsFreeOnlyWhenEveryRequestOfItIsAnswered() {
        var driver = MachineDriver(players: Self.players(40), roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 10)
        let first = driver.begin().frames
        #expect(first.map(\.count) == [10])
        for assignment in first[0].dropLast() {
            #expect(driver.answer(assignment).sends.isEmpty, "credit freed before the whole frame was answered")
        }
        let next = driver.answer(first[0].last!).frames
        #expect(next.map(\.count) == [10])
        #expect(next[0][0].frame != first[0][0].frame)
    }

    @Test func theLastFrameHoldsWhatIsLeft() {
        var driver = MachineDriver(players: Self.players(10), roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 4)
        let first = driver.begin().frames
        #expect(first.map(\.count) == [4])
        var next: [[BatchStateMachine.Assignment]] = []
        for assignment in first[0] { next += driver.answer(assignment).frames }
        #expect(next.map(\.count) == [4])
        var last: [[BatchStateMachine.Assignment]] = []
        for assignment in next[0] { last += driver.answer(assignment).frames }
        #expect(last.map(\.count) == [2])
    }

    @Test func aTimedOutRequestOfAFrameIsRetriedElsewhereAndItsCreditHeldUntilTheWorkerAnswers() {
        var driver = MachineDriver(players: Self.players(4), timeout: .seconds(10), roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 4)
        let frame = driver.begin().frames[0]
        #expect(frame.count == 4)
        for assignment in frame.dropFirst() { driver.answer(assignment, at: .seconds(1)) }
        driver.connect("w2", slots: 1, perFrame: 4, at: .seconds(2))
        let retried = driver.record(driver.machine.tick(now: driver.at(.seconds(11)))).sends
        #expect(retried.map(\.worker) == ["w2"] && retried.map(\.player) == [frame[0].player])
        #expect(retried[0].attempt == 2)
        // w1 still holds the frame's credit: nothing new for it until it answers.
        #expect(driver.machine.outstandingRequests == 2)
        let late = driver.answer(frame[0], at: .seconds(12))
        #expect(late.checks.count == 1, "the late answer still counts: nobody answered yet")
        #expect(driver.machine.state(of: driver.name(frame[0].player)) == .done)
        #expect(driver.answer(retried[0], at: .seconds(13)).checks.isEmpty, "the retry's answer is stale")
        #expect(driver.machine.counters.staleAnswers == 1)
        #expect(driver.log.finished)
    }

    @Test func aLostWorkersWholeFrameIsRequeued() {
        var driver = MachineDriver(players: Self.players(8), roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 8)
        let frame = driver.begin().frames[0]
        #expect(frame.count == 8)
        driver.answer(frame[0])
        driver.record(driver.machine.workerLost("w1", reason: "connection reset", now: driver.start))
        let again = driver.connect("w2", slots: 1, perFrame: 8).frames
        #expect(again.map(\.count) == [7])
        #expect(Set(again[0].map(\.player)) == Set(frame.dropFirst().map(\.player)))
        #expect(again[0].allSatisfy { $0.attempt == 2 })
    }

    @Test func aFrameThatCouldNotBeSentGoesBackUntouchedAndFreesItsCredit() {
        var driver = MachineDriver(players: Self.players(3), roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 3)
        let frame = driver.begin().frames[0]
        for assignment in frame { driver.machine.sendFailed(assignment) }
        #expect(driver.machine.outstandingRequests == 0)
        let resent = driver.record(driver.machine.tick(now: driver.at(.milliseconds(1)))).frames
        #expect(resent.map(\.count) == [3])
        #expect(resent[0].allSatisfy { $0.attempt == 1 })
    }

    @Test func answersWaitingForTheJournalHoldBackNewWork() {
        var driver = MachineDriver(players: Self.players(12), maxAnswersPending: 4, roundsPerSlot: 1)
        driver.connect("w1", slots: 1, perFrame: 4)
        let frame = driver.begin().frames[0]
        var arrived: [BatchStateMachine.Action] = []
        for assignment in frame {
            arrived += driver.record(driver.machine.resultArrived(requestID: assignment.requestID, now: driver.start))
        }
        #expect(arrived.checks.count == 4)
        #expect(arrived.sends.isEmpty, "4 answers wait for the journal: nothing more is sent, though the slot is free")
        let next = driver.record(driver.machine.answerAccepted(frame[0].player, skipped: false, now: driver.start))
        #expect(next.frames.map(\.count) == [4], "the journal caught up by one: the next frame goes out")
    }
}
