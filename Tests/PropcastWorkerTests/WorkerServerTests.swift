import Prometheus
import PropcastWire
import PropcastWorker
import PropcastTestSupport
import Testing

@Suite(.realProcesses) struct WorkerServerTests {
    @Test func requestsBeyondTheWorkerWideSlotsAreAnsweredBusy() async throws {
        try await withDeadline(.seconds(30), "requestsBeyondTheWorkerWideSlotsAreAnsweredBusy") {
            let executor = HeldExecutor()
            let prometheus = PrometheusCollectorRegistry()
            let worker = try await InProcessWorker.start(slots: 2, executor: executor,
                                                         metrics: WorkerMetrics(factory: PrometheusMetricsFactory(registry: prometheus)))
            try await worker.withSession("coordinator-a") { first in
                #expect(first.worker.slots == 2)
                try await first.sendRequest(1)
                try await first.sendRequest(2)
                #expect(Set(try await executor.waitForStarts(2)) == [1, 2])
                try await worker.withSession("coordinator-b") { second in
                    // The second connection has credits of its own, but the worker's 2 slots are taken.
                    try await second.sendRequest(3)
                    guard case .rejected(let rejected) = try await second.nextAnswer() else {
                        Issue.record("expected BUSY for request 3")
                        return
                    }
                    #expect(rejected.requestID == 3)
                    #expect(rejected.code == .busy)
                    #expect(rejected.retryable)
                    #expect(rejected.message.contains("all 2 slots of worker test-worker are busy"))

                    executor.release(1)
                    guard case .result(let result) = try await first.nextAnswer() else {
                        Issue.record("expected the result of request 1")
                        return
                    }
                    #expect(result.requestID == 1)
                    // A slot is free again: the second connection's next request runs.
                    try await second.sendRequest(4)
                    #expect(try await executor.waitForStarts(1) == [4])
                    executor.release(4)
                    guard case .result(let fourth) = try await second.nextAnswer() else {
                        Issue.record("expected the result of request 4")
                        return
                    }
                    #expect(fourth.requestID == 4)
                    await second.goodbye()
                }
                executor.release(2)
                guard case .result(let second) = try await first.nextAnswer() else {
                    Issue.record("expected the result of request 2")
                    return
                }
                #expect(second.requestID == 2)
                await first.goodbye()
            }
            let text = prometheus.emitToString()
            #expect(text.contains("propcast_requests_total{outcome=\"rejected_busy\"} 1"))
            #expect(text.contains("propcast_requests_total{outcome=\"result\"} 3"))
            await worker.server.stop()
            try await worker.waitUntilServed()
        }
    }

    @Test func drainSendsDrainThenTheInFlightResultThenGoodbyeDrained() async throws {
        try await withDeadline(.seconds(30), "drainSendsDrainThenTheInFlightResultThenGoodbyeDrained") {
            let executor = HeldExecutor()
            let worker = try await InProcessWorker.start(slots: 2, executor: executor)
            try await worker.withSession { session in
                try await session.sendRequest(10)
                #expect(try await executor.waitForStarts(1) == [10])
                let server = worker.server
                let drained = Task { await server.drain(reason: "test shutdown") }

                guard case .drained(let reason) = try await session.nextAnswer() else {
                    Issue.record("expected Drain first")
                    return
                }
                #expect(reason == "test shutdown")
                #expect(await drained.value == (connections: 1, inFlight: 1))

                try await session.sendRequest(11)
                guard case .rejected(let rejected) = try await session.nextAnswer() else {
                    Issue.record("expected DRAINING for a request sent after Drain")
                    return
                }
                #expect(rejected.requestID == 11)
                #expect(rejected.code == .draining)
                #expect(rejected.retryable)

                executor.release(10)
                guard case .result(let result) = try await session.nextAnswer() else {
                    Issue.record("expected the in-flight result after Drain")
                    return
                }
                #expect(result.requestID == 10)

                await #expect {
                    _ = try await session.nextAnswer()
                } throws: { error in
                    (error as? WireError)?.code == .closedByPeer && "\(error)".contains("goodbye (drained)")
                }
            }
            try await worker.waitUntilServed()
            #expect(await worker.server.connectionCount == 0)
        }
    }

    @Test func drainReachesEveryConnectionAndIdleOnesSayGoodbyeAtOnce() async throws {
        try await withDeadline(.seconds(30), "drainReachesEveryConnectionAndIdleOnesSayGoodbyeAtOnce") {
            let worker = try await InProcessWorker.start(slots: 1, executor: HeldExecutor())
            try await worker.withSession("first") { first in
                try await worker.withSession("second") { second in
                    let server = worker.server
                    let drained = Task { await server.drain(reason: "bye") }
                    for session in [first, second] {
                        guard case .drained = try await session.nextAnswer() else {
                            Issue.record("expected Drain on every connection")
                            return
                        }
                        await #expect(throws: WireError.self) { _ = try await session.nextAnswer() }
                    }
                    #expect(await drained.value.connections == 2)
                }
            }
            try await worker.waitUntilServed()
        }
    }
}
