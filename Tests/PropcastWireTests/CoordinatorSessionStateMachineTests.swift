import PropcastWire
import Testing

@Suite struct CoordinatorSessionStateMachineTests {
    func workerHello(slots: UInt32 = 4, role: WireRole = .worker, version: UInt32 = ProtocolVersion.current, minimum: UInt32 = ProtocolVersion.minimumSupported) -> Envelope {
        var hello = WireHello()
        hello.role = role
        hello.protocolVersion = version
        hello.minProtocolVersion = minimum
        hello.nodeID = "w9"
        hello.slots = slots
        return Envelope(.hello(hello))
    }

    func machine() -> CoordinatorSessionStateMachine {
        CoordinatorSessionStateMachine(nodeID: "c1", heartbeatIntervalMilliseconds: 2000, maxFrameBytes: 1 << 24)
    }

    @Test func startSendsCoordinatorHello() {
        var machine = machine()
        let hello = machine.start().hello
        #expect(hello.role == .coordinator)
        #expect(hello.nodeID == "c1")
        #expect(hello.protocolVersion == ProtocolVersion.current)
        #expect(machine.state == .awaitingHello)
    }

    @Test func workerHelloEstablishesTheSessionWithItsSlots() {
        var machine = machine()
        _ = machine.start()
        guard case .established(let info, let ack) = machine.received(workerHello(slots: 6)) else {
            Issue.record("expected established")
            return
        }
        #expect(info.slots == 6)
        #expect(info.nodeID == "w9")
        #expect(ack.helloAck.heartbeatIntervalMs == 2000)
        #expect(machine.state == .ready)
    }

    @Test func workerWithZeroSlotsIsRefused() {
        var machine = machine()
        _ = machine.start()
        guard case .sendAndClose(_, let error) = machine.received(workerHello(slots: 0)) else {
            Issue.record("expected refusal")
            return
        }
        #expect(error.code == .protocolViolation)
    }

    @Test func helloFromACoordinatorIsRefused() {
        var machine = machine()
        _ = machine.start()
        guard case .sendAndClose(_, let error) = machine.received(workerHello(role: .coordinator)) else {
            Issue.record("expected refusal")
            return
        }
        #expect(error.description.contains("where a worker was expected"))
    }

    @Test func versionMismatchIsReported() {
        var machine = machine()
        _ = machine.start()
        guard case .sendAndClose(let goodbye, let error) = machine.received(workerHello(version: 9, minimum: 5)) else {
            Issue.record("expected refusal")
            return
        }
        #expect(goodbye.goodbye.reason == .versionMismatch)
        #expect(error.code == .versionMismatch)
    }

    @Test func resultsRejectionsAndDrainAreDelivered() {
        var machine = machine()
        _ = machine.start()
        _ = machine.received(workerHello())
        var result = WirePredictResult()
        result.requestID = 3
        #expect(machine.received(Envelope(.predictResult(result))) == .result(result))
        var drain = WireDrain()
        drain.reason = "SIGTERM"
        #expect(machine.received(Envelope(.drain(drain))) == .drained(reason: "SIGTERM"))
        #expect(machine.state == .draining)
        #expect(machine.received(Envelope(.predictResult(result))) == .result(result))
        guard case .closed(let error) = machine.received(.goodbye(.drained, "bye")) else {
            Issue.record("expected closed")
            return
        }
        #expect(error.code == .closedByPeer)
    }

    @Test func requestFromAWorkerIsAProtocolViolation() {
        var machine = machine()
        _ = machine.start()
        _ = machine.received(workerHello())
        guard case .sendAndClose(let goodbye, _) = machine.received(Envelope(.predictRequest(WirePredictRequest()))) else {
            Issue.record("expected violation")
            return
        }
        #expect(goodbye.goodbye.reason == .protocolError)
    }
}
