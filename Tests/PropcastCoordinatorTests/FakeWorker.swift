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
        guard case .predictBatch(let frame) = envelope.body else { return }
        let (first, dead) = counts.withLock { counts -> (Int, Bool) in
            counts.received += frame.requests.count
            return (counts.received - frame.requests.count + 1, counts.dead || counts.closed != nil)
        }
        guard !dead else { throw WireError(.closedByPeer, "fake worker \(name) is gone") }
        Task { await self.answer(frame.requests, firstNumber: first) }
    }

    func close(with goodbye: Envelope) {
        let dead = counts.withLock { counts -> Bool in
            counts.closed = goodbye
            return counts.dead
        }
        if !dead, let reconnect { Task { await reconnect() } }
    }

    /// Answers a frame with one batch answer, or drops the connection instead (`dies`), or
    /// never answers (`hang`).
    private func answer(_ requests: [WirePredictRequest], firstNumber: Int) async {
        switch behaviour {
        case .hang: return
        case .slow(let delay): try? await Task.sleep(for: delay)
        default: break
        }
        var answers: [WirePredictAnswer] = []
        for (offset, request) in requests.enumerated() {
            guard let answer = await answer(request, number: firstNumber + offset) else { return }
            answers.append(answer)
        }
        guard counts.withLock({ $0.closed == nil }) else { return }
        await batch.batchAnswered(answers, from: name)
    }

    /// The answer to one request, or nil when the connection dropped (or was closed) first.
    private func answer(_ request: WirePredictRequest, number: Int) async -> WirePredictAnswer? {
        switch behaviour {
        case .dies(let answers):
            // nil: answer; true: the connection drops now; false: it already dropped.
            let drop = counts.withLock { counts -> Bool? in
                if counts.dead { return false }
                guard counts.answered >= answers else { return nil }
                counts.dead = true
                return true
            }
            if drop == true { await batch.workerLost(name, reason: "connection reset by peer") }
            if drop != nil { return nil }
        case .busyFirst(let count) where number <= count:
            return WirePredictAnswer(.rejected(request.requestID, .busy, "all slots busy", retryable: true))
        case .busyFirst, .honest, .tampers, .hang, .slow:
            break
        }
        guard counts.withLock({ $0.closed == nil }) else { return nil }
        let envelope = await engine.execute(request)
        guard case .predictResult(var result) = envelope.body else { return WirePredictAnswer(envelope) }
        if case .tampers(let tamper) = behaviour { tamper(&result) }
        counts.withLock { $0.answered += 1 }
        return WirePredictAnswer(Envelope(.predictResult(result)))
    }
}
