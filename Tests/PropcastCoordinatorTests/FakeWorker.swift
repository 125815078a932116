import PropcastCoordinator
import PropcastWire
import PropcastWorker
import Synchronization

/// A worker link without a socket: receives the batch's frames as a ``WorkerOutbound`` and
/// answers through the actor's link events, honestly (the real engine) or not.
final class FakeWorker: WorkerOutbound, @unchecked Sendable {
    // @unchecked: `refusal` is set once, right after connecting, by the scenario's task.
    enum Behaviour: Sendable {
        /// Answers every request with the engine.
        case honest
        /// Answers after `delay` each.
        case slow(Duration)
        /// Never answers.
        case hang
        /// Answers `answers` requests, then its connection drops (what it holds is lost).
        case dies(afterAnswers: Int)
        /// Says BUSY to the first `count` requests, then answers.
        case busyFirst(Int)
        /// Answers with `tamper` applied to every result.
        case tampers(@Sendable (inout WirePredictResult) -> Void)
    }

    let name: WorkerID
    let behaviour: Behaviour
    let engine: EnginePredictionExecutor
    let batch: BatchActor
    var refusal: String?
    /// Called when the batch closes this worker (the link's reconnect); set by the scenario.
    var reconnect: (@Sendable () async -> Void)?
    private struct Counts { var received = 0, answered = 0, closed: Envelope?, dead = false }
    private let counts = Mutex(Counts())

    init(_ name: WorkerID, behaviour: Behaviour, engine: EnginePredictionExecutor, batch: BatchActor) {
        self.name = name
        self.behaviour = behaviour
        self.engine = engine
        self.batch = batch
    }

    /// Requests received so far.
    var received: Int { counts.withLock { $0.received } }
    /// The Goodbye the batch closed this worker with, if it did.
    var goodbye: Envelope? { counts.withLock { $0.closed } }

    func send(_ envelope: Envelope) async throws {
        guard case .predictRequest(let request) = envelope.body else { return }
        let (number, dead) = counts.withLock { counts -> (Int, Bool) in
            counts.received += 1
            return (counts.received, counts.dead || counts.closed != nil)
        }
        guard !dead else { throw WireError(.closedByPeer, "fake worker \(name) is gone") }
        Task { await self.answer(request, number: number) }
    }

    func close(with goodbye: Envelope) {
        let dead = counts.withLock { counts -> Bool in
            counts.closed = goodbye
            return counts.dead
        }
        if !dead, let reconnect { Task { await reconnect() } }
    }

    private func answer(_ request: WirePredictRequest, number: Int) async {
        switch behaviour {
        case .hang:
            return
        case .slow(let delay):
            try? await Task.sleep(for: delay)
        case .dies(let answers):
            // nil: answer; true: the connection drops now; false: it already dropped.
            let drop = counts.withLock { counts -> Bool? in
                if counts.dead { return false }
                guard counts.answered >= answers else { return nil }
                counts.dead = true
                return true
            }
            if drop == true { await batch.workerLost(name, reason: "connection reset by peer") }
            if drop != nil { return }
        case .busyFirst(let count) where number <= count:
            var busy = WirePredictRejected()
            busy.requestID = request.requestID
            busy.code = .busy
            busy.message = "all slots busy"
            busy.retryable = true
            await batch.rejected(busy, from: name)
            return
        case .busyFirst, .honest, .tampers:
            break
        }
        guard counts.withLock({ $0.closed == nil }) else { return }
        let envelope = await engine.execute(request)
        guard case .predictResult(var result) = envelope.body else { return }
        if case .tampers(let tamper) = behaviour { tamper(&result) }
        counts.withLock { $0.answered += 1 }
        await batch.resultReceived(result, from: name)
    }
}
