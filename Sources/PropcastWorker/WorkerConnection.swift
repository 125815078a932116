import Logging
import NIOCore
import PropcastTLS
import PropcastWire

/// One coordinator's session with this worker. The actor owns the session state machine;
/// the inbound loop and the request tasks feed it events and it performs the I/O the
/// returned actions ask for. Requests run in their own tasks (the executor moves the CPU
/// work off the event loops) within the worker-wide ``WorkerSlots``.
actor WorkerConnection {
    private var machine: WorkerSessionStateMachine
    private let outbound: NIOAsyncChannelOutboundWriter<Envelope>
    private let channel: any Channel
    private let executor: (any PredictionExecutor)?
    private let slots: WorkerSlots
    private let metrics: WorkerMetrics
    private let nodeID: String
    private var logger: Logger
    /// Why the session ended; nil while it is open.
    private(set) var closeReason: String?

    init(identity: WorkerIdentity, wire: WireConfiguration, outbound: NIOAsyncChannelOutboundWriter<Envelope>,
         channel: any Channel, executor: (any PredictionExecutor)?, slots: WorkerSlots, metrics: WorkerMetrics,
         logger: Logger) {
        self.machine = WorkerSessionStateMachine(identity: identity, configuration: wire)
        self.outbound = outbound
        self.channel = channel
        self.executor = executor
        self.slots = slots
        self.metrics = metrics
        self.nodeID = identity.nodeID
        self.logger = logger
    }

    /// Whether the session has ended and the inbound loop should stop.
    var isClosed: Bool { closeReason != nil }

    /// Requests accepted on this connection and not yet answered.
    var inFlight: Int { machine.inFlight }

    /// Handles one received envelope.
    func received(_ envelope: Envelope) async {
        await perform(machine.received(envelope))
    }

    /// The connection failed underneath (bad frame, timeout…): say Goodbye and close.
    func failed(_ error: WireError) async {
        await perform(machine.failed(error))
    }

    /// The worker is shutting down: send Drain, and Goodbye once in-flight work is done.
    func drain(reason: String) async {
        await perform(machine.drain(reason: reason))
        await perform(machine.finishDrainIfIdle())
    }

    /// Closes the connection at once, unanswered work or not (the drain deadline passed).
    func abandon(reason: String) {
        close(reason)
    }

    private func finished(_ answer: Envelope) async {
        await perform(machine.requestFinished(answer))
        await perform(machine.finishDrainIfIdle())
    }

    private func perform(_ action: WorkerSessionStateMachine.Action) async {
        switch action {
        case .none:
            return
        case .send(let envelope):
            await write(envelope)
        case .established(let coordinator, let version, let idleTimeout):
            logger[metadataKey: "coordinator"] = "\(coordinator)"
            logger.info("session established",
                        metadata: ["protocol": "\(version)", "idle_timeout_ms": "\(idleTimeout.wholeMilliseconds)"])
            channel.triggerUserOutboundEvent(IdleTimeoutChange(idleTimeout), promise: nil)
        case .execute(let request):
            await start(.request(request))
        case .executeBatch(let batch):
            await start(.batch(batch))
        case .sendAndClose(let envelope, let reason):
            await write(envelope)
            close(reason)
        case .close(let reason):
            close(reason)
        }
    }

    /// What one slot runs: a single request or a batch.
    private enum Work: Sendable {
        case request(WirePredictRequest)
        case batch(WirePredictBatch)

        /// The answer rejecting all of it.
        func rejected(_ code: WirePredictRejected.Code, _ message: String) -> Envelope {
            switch self {
            case .request(let request): .rejected(request.requestID, code, message, retryable: true)
            case .batch(let batch): .rejectedBatch(batch, code, message, retryable: true)
            }
        }

        func answer(with executor: any PredictionExecutor) async -> Envelope {
            switch self {
            case .request(let request): await executor.execute(request)
            case .batch(let batch): Envelope(.predictBatchAnswer(await executor.execute(batch: batch.requests)))
            }
        }
    }

    /// Runs `work` in its own task if a worker-wide slot is free, else answers BUSY.
    private func start(_ work: Work) async {
        guard slots.tryAcquire() else {
            logger.debug("work rejected: worker busy")
            await finished(work.rejected(.busy, "all \(slots.capacity) slots of worker \(nodeID) are busy; retry later or elsewhere"))
            return
        }
        metrics.inFlight.increment()
        let executor = self.executor
        let worker = nodeID
        Task {
            let answer = if let executor { await work.answer(with: executor) } else {
                work.rejected(.internal, "worker \(worker) has no prediction models loaded (start it with --models DIR)")
            }
            // Free the slot before answering, so the coordinator's next request finds it free.
            self.slots.release()
            self.metrics.inFlight.decrement()
            await self.finished(answer)
        }
    }

    private func write(_ envelope: Envelope) async {
        metrics.countAnswer(envelope)
        do {
            try await outbound.write(envelope)
        } catch {
            close("write failed: \(error)")
        }
    }

    /// Ends the session: no more writes, and the channel closes (after the writes already
    /// queued, such as a Goodbye), which also ends the inbound loop.
    private func close(_ reason: String) {
        guard closeReason == nil else { return }
        closeReason = reason
        outbound.finish()
        channel.close(promise: nil)
    }
}
