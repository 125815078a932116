import PropcastWire
import Testing

/// Protocol version 3's PredictBatch on both session state machines, without sockets.
@Suite struct BatchFrameSessionTests {
    let identity = WorkerIdentity(nodeID: "w1", slots: 2, softwareVersion: "test", maxFrameBytes: 1 << 20,
                                  maxBatchRequests: 3)

    func hello(_ role: WireRole, version: UInt32 = ProtocolVersion.current, minimum: UInt32 = ProtocolVersion.minimumSupported,
               maxBatchRequests: UInt32 = 0) -> Envelope {
        var hello = WireHello()
        hello.role = role
        hello.protocolVersion = version
        hello.minProtocolVersion = minimum
        hello.nodeID = role == .worker ? "w1" : "coord"
        hello.slots = role == .worker ? 2 : 0
        hello.maxBatchRequests = maxBatchRequests
        return Envelope(.hello(hello))
    }

    func readyWorker() -> WorkerSessionStateMachine {
        var machine = WorkerSessionStateMachine(identity: identity)
        _ = machine.received(hello(.coordinator))
        _ = machine.received(Envelope(.helloAck(WireHelloAck())))
        return machine
    }

    func batch(_ ids: ClosedRange<UInt64>) -> Envelope {
        var batch = WirePredictBatch()
        batch.requests = ids.map { id in
            var request = WirePredictRequest()
            request.requestID = id
            return request
        }
        return Envelope(.predictBatch(batch))
    }

    @Test func theWorkersHelloAnnouncesHowManyRequestsABatchMayHold() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .send(let reply) = machine.received(hello(.coordinator)) else {
            Issue.record("expected the worker's Hello")
            return
        }
        #expect(reply.hello.maxBatchRequests == 3)
        #expect(reply.hello.protocolVersion == 3)
    }

    @Test func aBatchTakesOneSlotAndABatchBeyondTheSlotsIsRejectedRequestByRequest() {
        var machine = readyWorker()
        #expect(machine.received(batch(1...3)) == .executeBatch(batch(1...3).predictBatch))
        #expect(machine.received(batch(4...5)) == .executeBatch(batch(4...5).predictBatch))
        #expect(machine.inFlight == 2)
        guard case .send(let busy) = machine.received(batch(6...8)), case .predictBatchAnswer(let answer) = busy.body else {
            Issue.record("expected a batch answer of rejections")
            return
        }
        #expect(answer.answers.map(\.rejected.requestID) == [6, 7, 8])
        #expect(answer.answers.allSatisfy { $0.rejected.code == .busy && $0.rejected.retryable })
        _ = machine.requestFinished(Envelope(.predictBatchAnswer(WirePredictBatchAnswer())))
        #expect(machine.received(batch(9...9)) == .executeBatch(batch(9...9).predictBatch))
    }

    @Test func aDrainingWorkerRejectsEveryRequestOfABatch() {
        var machine = readyWorker()
        _ = machine.received(batch(1...1))
        _ = machine.drain(reason: "SIGTERM")
        guard case .send(let reply) = machine.received(batch(2...3)) else {
            Issue.record("expected rejections")
            return
        }
        #expect(reply.predictBatchAnswer.answers.map(\.rejected.code) == [.draining, .draining])
    }

    @Test func anEmptyOrOversizedBatchIsAProtocolError() {
        for envelope in [Envelope(.predictBatch(WirePredictBatch())), batch(1...4)] {
            var machine = readyWorker()
            guard case .sendAndClose(let goodbye, let reason) = machine.received(envelope) else {
                Issue.record("expected Goodbye")
                continue
            }
            #expect(goodbye.goodbye.reason == .protocolError)
            #expect(reason.contains("this worker takes 1–3 per batch"), "\(reason)")
            #expect(machine.state == .closed)
        }
    }

    @Test func aBatchBeforeHelloAckIsAProtocolError() {
        var machine = WorkerSessionStateMachine(identity: identity)
        _ = machine.received(hello(.coordinator))
        guard case .sendAndClose(let goodbye, _) = machine.received(batch(1...1)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .protocolError)
    }

    @Test func theCoordinatorReadsTheBatchLimitAndPassesBatchAnswersOn() {
        var machine = CoordinatorSessionStateMachine(nodeID: "coord", heartbeatIntervalMilliseconds: 2000, maxFrameBytes: 1 << 20)
        _ = machine.start()
        guard case .established(let info, _) = machine.received(hello(.worker, maxBatchRequests: 64)) else {
            Issue.record("expected the session to be established")
            return
        }
        #expect(info.maxBatchRequests == 64 && info.protocolVersion == 3)
        var answer = WirePredictBatchAnswer()
        answer.answers = [WirePredictAnswer()]
        #expect(machine.received(Envelope(.predictBatchAnswer(answer))) == .batchAnswer(answer))
    }

    @Test func aWorkerThatSaysNothingAboutBatchesTakesOneRequestPerBatch() {
        var machine = CoordinatorSessionStateMachine(nodeID: "coord", heartbeatIntervalMilliseconds: 2000, maxFrameBytes: 1 << 20)
        _ = machine.start()
        guard case .established(let info, _) = machine.received(hello(.worker)) else {
            Issue.record("expected the session to be established")
            return
        }
        #expect(info.maxBatchRequests == 1)
    }

    @Test func aVersion2WorkerIsRefusedCleanlyByVersion() {
        var machine = CoordinatorSessionStateMachine(nodeID: "coord", heartbeatIntervalMilliseconds: 2000, maxFrameBytes: 1 << 20)
        _ = machine.start()
        guard case .sendAndClose(let goodbye, let error) = machine.received(hello(.worker, version: 2, minimum: 2)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .versionMismatch)
        #expect(error.description.contains("speaks protocol 2–2; this coordinator 3–3"), "\(error)")
        var worker = WorkerSessionStateMachine(identity: identity)
        guard case .sendAndClose(let refusal, _) = worker.received(hello(.coordinator, version: 2, minimum: 2)) else {
            Issue.record("expected Goodbye from the worker")
            return
        }
        #expect(refusal.goodbye.reason == .versionMismatch)
    }
}
