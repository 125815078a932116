import Logging
import PropcastWire
import PropcastWorker
import ServiceLifecycle
import PropcastTestSupport
import Testing

@Suite(.realProcesses) struct WorkerServiceTests {
    @Test func gracefulShutdownDrainsAndTheGroupReturnsOnceConnectionsEnd() async throws {
        try await withDeadline(.seconds(30), "a graceful shutdown") {
            let executor = HeldExecutor()
            let worker = try await InProcessWorker.start(slots: 1, executor: executor, serve: false)
            let service = WorkerService(server: worker.server, drainTimeout: .seconds(20), logger: Logger(label: "test"))
            let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            try await worker.withSession { session in
                try await session.sendRequest(1)
                #expect(try await executor.waitForStarts(1) == [1])
                await group.triggerGracefulShutdown()
                guard case .drained = try await session.nextAnswer() else {
                    Issue.record("expected Drain after the graceful shutdown began")
                    return
                }
                executor.release(1)
                guard case .result(let result) = try await session.nextAnswer() else {
                    Issue.record("expected the in-flight result")
                    return
                }
                #expect(result.requestID == 1)
                await #expect(throws: WireError.self) { _ = try await session.nextAnswer() }
            }
            try await running.value
        }
    }

    @Test func drainDeadlineClosesConnectionsWhoseWorkIsStillRunning() async throws {
        try await withDeadline(.seconds(30), "the drain deadline") {
            let executor = HeldExecutor()
            let worker = try await InProcessWorker.start(slots: 1, executor: executor, serve: false)
            let service = WorkerService(server: worker.server, drainTimeout: .milliseconds(200),
                                        logger: Logger(label: "test"))
            let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            try await worker.withSession { session in
                try await session.sendRequest(1)
                #expect(try await executor.waitForStarts(1) == [1])
                await group.triggerGracefulShutdown()
                guard case .drained = try await session.nextAnswer() else {
                    Issue.record("expected Drain after the graceful shutdown began")
                    return
                }
                // The held request never finishes: after the deadline the worker hangs up.
                await #expect {
                    _ = try await session.nextAnswer()
                } throws: { error in
                    (error as? WireError)?.code == .closedByPeer && !"\(error)".contains("goodbye")
                }
            }
            try await running.value
            executor.release(1)
        }
    }
}
