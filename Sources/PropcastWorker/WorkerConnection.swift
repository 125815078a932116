import Logging
import NIOCore
import PropcastWire

/// One coordinator's session with this worker. The actor owns the session state machine;
/// the inbound loop and the request tasks feed it events and it performs the I/O the
/// returned actions ask for.
actor WorkerConnection {
    private var machine: WorkerSessionStateMachine
    private let outbound: NIOAsyncChannelOutboundWriter<Envelope>
    private let executor: (any PredictionExecutor)?
    private let nodeID: String
    private var logger: Logger
    private var closeReason: String?

    init(identity: WorkerIdentity, outbound: NIOAsyncChannelOutboundWriter<Envelope>,
         executor: (any PredictionExecutor)?, logger: Logger) {
        self.machine = WorkerSessionStateMachine(identity: identity)
        self.outbound = outbound
        self.executor = executor
        self.nodeID = identity.nodeID
        self.logger = logger
    }

    /// Whether the session has ended and the inbound loop should stop.
    var isClosed: Bool { closeReason != nil }

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
        case .established(let coordinator, let version):
            logger[metadataKey: "coordinator"] = "\(coordinator)"
            logger.info("session established", metadata: ["protocol": "\(version)"])
        case .execute(let request):
            let executor = self.executor
            let worker = nodeID
            Task {
                let answer: Envelope
                if let executor {
                    answer = await executor.execute(request)
                } else {
                    var rejected = WirePredictRejected()
                    rejected.requestID = request.requestID
                    rejected.code = .internal
                    rejected.message = "worker \(worker) has no prediction models loaded (start it with --models DIR)"
                    rejected.retryable = true
                    answer = Envelope(.predictRejected(rejected))
                }
                await self.finished(answer)
            }
        case .sendAndClose(let envelope, let reason):
            await write(envelope)
            close(reason)
        case .close(let reason):
            close(reason)
        }
    }

    private func write(_ envelope: Envelope) async {
        do {
            try await outbound.write(envelope)
        } catch {
            close("write failed: \(error)")
        }
    }

    private func close(_ reason: String) {
        guard closeReason == nil else { return }
        closeReason = reason
        outbound.finish()
        logger.info("connection closing", metadata: ["reason": "\(reason)"])
    }
}
