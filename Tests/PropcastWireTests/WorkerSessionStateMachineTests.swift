import PropcastWire
import Testing

@Suite struct WorkerSessionStateMachineTests {
    let identity = WorkerIdentity(nodeID: "w1", slots: 2, softwareVersion: "test", maxFrameBytes: 1024)

    func coordinatorHello(version: UInt32 = ProtocolVersion.current, minimum: UInt32 = ProtocolVersion.minimumSupported, role: WireRole = .coordinator) -> Envelope {
        var hello = WireHello()
        hello.role = role
        hello.protocolVersion = version
        hello.minProtocolVersion = minimum
        hello.nodeID = "coord"
        return Envelope(.hello(hello))
    }

    func ready() -> WorkerSessionStateMachine {
        var machine = WorkerSessionStateMachine(identity: identity)
        _ = machine.received(coordinatorHello())
        _ = machine.received(Envelope(.helloAck(WireHelloAck())))
        return machine
    }

    func request(_ id: UInt64) -> Envelope {
        var request = WirePredictRequest()
        request.requestID = id
        return Envelope(.predictRequest(request))
    }

    @Test func coordinatorHelloIsAnsweredWithTheWorkersHello() throws {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .send(let reply) = machine.received(coordinatorHello()), case .hello(let hello) = reply.body else {
            Issue.record("expected the worker's Hello")
            return
        }
        #expect(hello.role == .worker)
        #expect(hello.nodeID == "w1")
        #expect(hello.slots == 2)
        #expect(hello.protocolVersion == ProtocolVersion.current)
        #expect(machine.state == .awaitingHelloAck)
        #expect(machine.received(Envelope(.helloAck(WireHelloAck())))
            == .established(coordinatorNodeID: "coord", protocolVersion: 0, idleTimeout: .seconds(6)))
        #expect(machine.state == .ready)
    }

    @Test func helloFromAnotherWorkerIsAProtocolError() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .sendAndClose(let goodbye, let reason) = machine.received(coordinatorHello(role: .worker)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .protocolError)
        #expect(reason.contains("workers accept only coordinators"))
        #expect(machine.state == .closed)
    }

    @Test func incompatibleProtocolVersionSaysVersionMismatch() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .sendAndClose(let goodbye, _) = machine.received(coordinatorHello(version: 5, minimum: 4)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .versionMismatch)
    }

    @Test func newerPeerThatStillAcceptsOurVersionNegotiatesOurs() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .send(let reply) = machine.received(coordinatorHello(version: 4, minimum: 1)) else {
            Issue.record("expected Hello")
            return
        }
        #expect(reply.hello.protocolVersion == ProtocolVersion.current)
    }

    @Test func versionOnePeerIsRefusedBecauseItsAnswersCarryNoFingerprint() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .sendAndClose(let goodbye, let reason) = machine.received(coordinatorHello(version: 1, minimum: 1)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .versionMismatch)
        #expect(reason.contains("no common protocol version"), "\(reason)")
    }

    @Test func requestBeforeHelloIsAProtocolError() {
        var machine = WorkerSessionStateMachine(identity: identity)
        guard case .sendAndClose(let goodbye, _) = machine.received(request(1)) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .protocolError)
    }

    @Test func pingIsAnsweredWithTheSameNonce() {
        var machine = ready()
        var ping = WirePing()
        ping.nonce = 5
        ping.sentAtNanos = 77
        guard case .send(let reply) = machine.received(Envelope(.ping(ping))) else {
            Issue.record("expected Pong")
            return
        }
        #expect(reply.pong.nonce == 5)
        #expect(reply.pong.sentAtNanos == 77)
    }

    @Test func requestsBeyondTheSlotsAreRejectedAsBusyAndRetryable() {
        var machine = ready()
        #expect(machine.received(request(1)) == .execute(request(1).predictRequest))
        #expect(machine.received(request(2)) == .execute(request(2).predictRequest))
        guard case .send(let reply) = machine.received(request(3)) else {
            Issue.record("expected rejection")
            return
        }
        #expect(reply.predictRejected.code == .busy)
        #expect(reply.predictRejected.retryable)
        #expect(reply.predictRejected.requestID == 3)
        _ = machine.requestFinished(Envelope(.predictResult(WirePredictResult())))
        #expect(machine.received(request(4)) == .execute(request(4).predictRequest))
    }

    @Test func drainingRejectsNewWorkAndSaysGoodbyeWhenIdle() {
        var machine = ready()
        _ = machine.received(request(1))
        guard case .send(let drain) = machine.drain(reason: "SIGTERM") else {
            Issue.record("expected Drain")
            return
        }
        #expect(drain.drain.reason == "SIGTERM")
        #expect(machine.finishDrainIfIdle() == .none)
        guard case .send(let rejected) = machine.received(request(2)) else {
            Issue.record("expected rejection")
            return
        }
        #expect(rejected.predictRejected.code == .draining)
        #expect(machine.requestFinished(Envelope(.predictResult(WirePredictResult()))) != .none)
        guard case .sendAndClose(let goodbye, _) = machine.finishDrainIfIdle() else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .drained)
        #expect(machine.state == .closed)
    }

    @Test func helloAckArrivingAfterDrainStartedIsStillAccepted() {
        var machine = WorkerSessionStateMachine(identity: identity)
        _ = machine.received(coordinatorHello())
        guard case .send(let drain) = machine.drain(reason: "SIGTERM") else {
            Issue.record("expected Drain")
            return
        }
        #expect(drain.drain.reason == "SIGTERM")
        #expect(machine.received(Envelope(.helloAck(WireHelloAck())))
            == .established(coordinatorNodeID: "coord", protocolVersion: 0, idleTimeout: .seconds(6)))
        #expect(machine.state == .draining)
    }

    @Test func unknownMessageEndsTheSessionWithProtocolError() {
        var machine = ready()
        guard case .sendAndClose(let goodbye, let reason) = machine.received(Envelope()) else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .protocolError)
        #expect(reason.contains("unexpected empty"))
    }

    @Test func frameTooLargeFailureSaysSoInGoodbye() {
        var machine = ready()
        let action = machine.failed(WireError(.frameTooLarge, "frame of 99 bytes exceeds the limit of 10 bytes"))
        guard case .sendAndClose(let goodbye, _) = action else {
            Issue.record("expected Goodbye")
            return
        }
        #expect(goodbye.goodbye.reason == .frameTooLarge)
        #expect(machine.failed(WireError(.timedOut, "x")) == .none)
    }

    @Test func peerGoodbyeClosesWithoutAnswer() {
        var machine = ready()
        guard case .close = machine.received(.goodbye(.normal, "done")) else {
            Issue.record("expected close")
            return
        }
        #expect(machine.state == .closed)
    }
}
