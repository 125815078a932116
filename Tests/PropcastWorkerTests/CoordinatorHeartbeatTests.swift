import PropcastWire
import PropcastWorker
import PropcastTestSupport
import Testing

/// On real sockets, a worker gives a silent coordinator three of the heartbeat intervals its
/// HelloAck announced, never less than the worker's own idle timeout. At a smaller scale than
/// production, to keep the tests short: the worker's own idle timeout is 3 s (6 s by
/// default; it also covers the TLS handshake and Hello, which take a second or more on a busy
/// machine).
@Suite(.realProcesses) struct CoordinatorHeartbeatTests {
    static let worker = WireConfiguration(idleTimeout: .seconds(3))

    /// A coordinator announcing `heartbeat` that never pings, and waits long enough for the
    /// worker itself that only the worker's idle timeout matters.
    static func silentCoordinator(heartbeat: Duration) -> WireConfiguration {
        WireConfiguration(heartbeatInterval: heartbeat, idleTimeout: .seconds(30))
    }

    @Test func aSilentCoordinatorWithALongHeartbeatOutlastsTheWorkersOwnIdleTimeout() async throws {
        try await withDeadline(.seconds(30), "a session idle for 4.5 s") {
            let worker = try await InProcessWorker.start(slots: 1, executor: HeldExecutor(), wire: Self.worker)
            try await worker.withSession(configuration: Self.silentCoordinator(heartbeat: .seconds(4))) { session in
                // The scenario is silence itself: longer than the worker's own idle timeout,
                // well within three of the announced 4 s intervals.
                try await Task.sleep(for: .milliseconds(4500))
                _ = try await session.ping()
                await session.goodbye()
            }
            await worker.server.stop()
            try await worker.waitUntilServed()
        }
    }

    @Test func aCoordinatorWithAShortHeartbeatIsGivenUpAfterTheWorkersOwnIdleTimeout() async throws {
        let (error, silence) = try await withDeadline(.seconds(30), "the worker's idle Goodbye") {
            let worker = try await InProcessWorker.start(slots: 1, executor: HeldExecutor(), wire: Self.worker)
            let clock = ContinuousClock()
            // 3 × 50 ms would be 150 ms; the worker's own 3 s is the floor.
            let outcome = try await worker.withSession(configuration: Self.silentCoordinator(heartbeat: .milliseconds(50))) {
                session in
                let start = clock.now
                do {
                    while true { _ = try await session.next() }
                } catch let error as WireError {
                    return (error, clock.now - start)
                }
            }
            await worker.server.stop()
            try await worker.waitUntilServed()
            return outcome
        }
        #expect(error.code == .closedByPeer)
        #expect(error.description.contains("idleTimeout"), "\(error)")
        #expect(error.description.contains("no frame from the peer for 3000 ms (heartbeat missed)"), "\(error)")
        #expect(silence >= .milliseconds(2900), "given up after \(silence)")
    }
}
