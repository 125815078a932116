import PropcastWire
import Testing

/// The worker's idle timeout follows the heartbeat interval its coordinator announces in
/// HelloAck: three intervals, within the worker's configured floor and ceiling.
@Suite struct WorkerIdleTimeoutTests {
    let identity = WorkerIdentity(nodeID: "w1", slots: 2, softwareVersion: "test", maxFrameBytes: 1024)

    func helloAck(heartbeatMilliseconds: UInt32) -> Envelope {
        var ack = WireHelloAck()
        ack.protocolVersion = ProtocolVersion.current
        ack.heartbeatIntervalMs = heartbeatMilliseconds
        return Envelope(.helloAck(ack))
    }

    func coordinatorHello() -> Envelope {
        var hello = WireHello()
        hello.role = .coordinator
        hello.protocolVersion = ProtocolVersion.current
        hello.minProtocolVersion = ProtocolVersion.minimumSupported
        hello.nodeID = "coord"
        return Envelope(.hello(hello))
    }

    /// The idle timeout the established session asks for after a HelloAck announcing `milliseconds`.
    func idleTimeout(afterHeartbeat milliseconds: UInt32,
                     configuration: WireConfiguration = WireConfiguration()) -> Duration? {
        var machine = WorkerSessionStateMachine(identity: identity, configuration: configuration)
        _ = machine.received(coordinatorHello())
        guard case .established(_, _, let idleTimeout) = machine.received(helloAck(heartbeatMilliseconds: milliseconds))
        else { return nil }
        return idleTimeout
    }

    @Test func coordinatorWithAFourSecondHeartbeatGetsTwelveSecondsNotTheWorkersSix() {
        #expect(WireConfiguration().idleTimeout == .seconds(6))
        #expect(idleTimeout(afterHeartbeat: 4000) == .seconds(12))
        #expect(idleTimeout(afterHeartbeat: 2000) == .seconds(6))
    }

    @Test func aShortHeartbeatNeverLowersTheWorkersOwnIdleTimeout() {
        #expect(idleTimeout(afterHeartbeat: 500) == .seconds(6))
        #expect(idleTimeout(afterHeartbeat: 1) == .seconds(6))
    }

    @Test func aCoordinatorThatAnnouncesNoHeartbeatKeepsTheWorkersIdleTimeout() {
        #expect(idleTimeout(afterHeartbeat: 0) == .seconds(6))
    }

    @Test func aHeartbeatLongerThanTheLimitIsCappedAtTheMaximumIdleTimeout() {
        #expect(WireConfiguration().maxIdleTimeout == .seconds(900))
        #expect(idleTimeout(afterHeartbeat: 300_000) == .seconds(900))
        #expect(idleTimeout(afterHeartbeat: 3_600_000) == .seconds(900))
        #expect(idleTimeout(afterHeartbeat: .max) == .seconds(900))
        let tight = WireConfiguration(idleTimeout: .seconds(6), maxIdleTimeout: .seconds(10))
        #expect(idleTimeout(afterHeartbeat: 4000, configuration: tight) == .seconds(10))
        // A ceiling below the floor cannot shrink the worker's own idle timeout.
        let inverted = WireConfiguration(idleTimeout: .seconds(6), maxIdleTimeout: .seconds(1))
        #expect(idleTimeout(afterHeartbeat: 4000, configuration: inverted) == .seconds(6))
    }

    @Test func theWorkersOwnBoundsScaleForTests() {
        let small = WireConfiguration(idleTimeout: .milliseconds(300))
        #expect(idleTimeout(afterHeartbeat: 1000, configuration: small) == .seconds(3))
        #expect(idleTimeout(afterHeartbeat: 50, configuration: small) == .milliseconds(300))
    }

    @Test func helloAckDuringADrainStillSetsTheIdleTimeout() {
        var machine = WorkerSessionStateMachine(identity: identity)
        _ = machine.received(coordinatorHello())
        _ = machine.drain(reason: "SIGTERM")
        #expect(machine.received(helloAck(heartbeatMilliseconds: 10_000))
            == .established(coordinatorNodeID: "coord", protocolVersion: ProtocolVersion.current, idleTimeout: .seconds(30)))
        #expect(machine.state == .draining)
    }
}
