/// What a worker announces in its Hello.
public struct WorkerIdentity: Sendable, Equatable {
    public var nodeID: String
    /// Requests this worker runs at once.
    public var slots: UInt32
    public var modelVersions: [WireModelVersion]
    public var softwareVersion: String
    public var maxFrameBytes: UInt32
    /// Most requests it takes in one PredictBatch.
    public var maxBatchRequests: UInt32

    public init(nodeID: String, slots: UInt32, modelVersions: [WireModelVersion] = [], softwareVersion: String,
                maxFrameBytes: UInt32, maxBatchRequests: UInt32 = 64) {
        self.nodeID = nodeID
        self.slots = slots
        self.modelVersions = modelVersions
        self.softwareVersion = softwareVersion
        self.maxFrameBytes = maxFrameBytes
        self.maxBatchRequests = max(1, maxBatchRequests)
    }
}

/// The worker's side of one session as a value: envelopes in, actions out, no I/O.
///
/// `awaitingHello` → (coordinator Hello) → `awaitingHelloAck` → (HelloAck) → `ready`
/// → (drain) → `draining` → (no work left) → `closed`. Ping is answered in every open
/// state after Hello. Anything unexpected ends the session with Goodbye(PROTOCOL_ERROR).
public struct WorkerSessionStateMachine: Sendable {
    public enum State: Equatable, Sendable {
        case awaitingHello
        case awaitingHelloAck
        case ready
        case draining
        case closed
    }

    public enum Action: Equatable, Sendable {
        /// Send this envelope and carry on.
        case send(Envelope)
        /// The session is established with a coordinator. From now on the connection may
        /// stay silent for `idleTimeout` (three of the heartbeat intervals the coordinator
        /// announced, within the configuration's bounds): apply it to the connection.
        case established(coordinatorNodeID: String, protocolVersion: UInt32, idleTimeout: Duration)
        /// Run this request (a slot has been reserved for it).
        case execute(WirePredictRequest)
        /// Run these requests, in order, and answer with one PredictBatchAnswer (one slot
        /// has been reserved for the batch).
        case executeBatch(WirePredictBatch)
        /// Send this envelope (a Goodbye), then close; `reason` explains it for the log.
        case sendAndClose(Envelope, reason: String)
        /// The peer said Goodbye: close without answering.
        case close(reason: String)
        case none
    }

    public private(set) var state: State = .awaitingHello
    /// Requests and batches accepted and not yet answered (a batch counts once: it takes one slot).
    public private(set) var inFlight = 0
    private let identity: WorkerIdentity
    private let configuration: WireConfiguration

    /// A session announcing `identity`, whose idle timeout follows `configuration`
    /// (``WireConfiguration/workerIdleTimeout(coordinatorHeartbeat:)``).
    public init(identity: WorkerIdentity, configuration: WireConfiguration = WireConfiguration()) {
        self.identity = identity
        self.configuration = configuration
    }

    /// Feeds one received envelope.
    public mutating func received(_ envelope: Envelope) -> Action {
        switch (state, envelope.body) {
        case (.closed, _):
            return .none
        case (.awaitingHello, .hello(let hello)):
            return receivedHello(hello)
        case (.awaitingHelloAck, .helloAck(let ack)):
            state = .ready
            return established(ack)
        case (.draining, .helloAck(let ack)):
            // Drain started between our Hello and the coordinator's HelloAck: the session is
            // established, and it is already draining.
            return established(ack)
        case (.awaitingHelloAck, .ping(let ping)), (.ready, .ping(let ping)), (.draining, .ping(let ping)):
            var pong = WirePong()
            pong.nonce = ping.nonce
            pong.sentAtNanos = ping.sentAtNanos
            return .send(Envelope(.pong(pong)))
        case (.ready, .predictRequest(let request)):
            guard inFlight < Int(identity.slots) else {
                return .send(.rejected(request.requestID, .busy,
                                       "all \(identity.slots) slots in use; wait for a result before sending more", retryable: true))
            }
            inFlight += 1
            return .execute(request)
        case (.draining, .predictRequest(let request)):
            return .send(.rejected(request.requestID, .draining, "worker \(identity.nodeID) is draining", retryable: true))
        case (.ready, .predictBatch(let batch)), (.draining, .predictBatch(let batch)):
            return receivedBatch(batch)
        case (_, .goodbye(let goodbye)):
            state = .closed
            return .close(reason: "peer said goodbye (\(goodbye.reason), \(goodbye.message))")
        default:
            return protocolViolation("unexpected \(envelope.bodyName) while \(state)")
        }
    }

    private var coordinatorNodeID = ""

    private func established(_ ack: WireHelloAck) -> Action {
        let heartbeat = Duration.milliseconds(Int64(ack.heartbeatIntervalMs))
        return .established(coordinatorNodeID: coordinatorNodeID, protocolVersion: ack.protocolVersion,
                            idleTimeout: configuration.workerIdleTimeout(coordinatorHeartbeat: heartbeat))
    }

    private mutating func receivedBatch(_ batch: WirePredictBatch) -> Action {
        guard !batch.requests.isEmpty, batch.requests.count <= Int(identity.maxBatchRequests) else {
            return protocolViolation("predict_batch of \(batch.requests.count) requests; this worker takes 1–"
                + "\(identity.maxBatchRequests) per batch (its Hello's max_batch_requests)")
        }
        guard state == .ready else {
            return .send(.rejectedBatch(batch, .draining, "worker \(identity.nodeID) is draining", retryable: true))
        }
        guard inFlight < Int(identity.slots) else {
            return .send(.rejectedBatch(batch, .busy, "all \(identity.slots) slots in use; wait for an answer before sending more",
                                        retryable: true))
        }
        inFlight += 1
        return .executeBatch(batch)
    }

    private mutating func receivedHello(_ hello: WireHello) -> Action {
        guard hello.role == .coordinator else {
            return protocolViolation("Hello from a \(hello.role) node; workers accept only coordinators")
        }
        guard let version = ProtocolVersion.negotiate(peerCurrent: hello.protocolVersion,
                                                      peerMinimum: hello.minProtocolVersion) else {
            state = .closed
            let message = "no common protocol version (peer speaks \(hello.minProtocolVersion)–\(hello.protocolVersion), "
                + "this worker \(ProtocolVersion.minimumSupported)–\(ProtocolVersion.current))"
            return .sendAndClose(.goodbye(.versionMismatch, message), reason: message)
        }
        coordinatorNodeID = hello.nodeID
        state = .awaitingHelloAck
        var reply = WireHello()
        reply.role = .worker
        reply.protocolVersion = version
        reply.minProtocolVersion = ProtocolVersion.minimumSupported
        reply.nodeID = identity.nodeID
        reply.slots = identity.slots
        reply.modelVersions = identity.modelVersions
        reply.softwareVersion = identity.softwareVersion
        reply.maxFrameBytes = identity.maxFrameBytes
        reply.maxBatchRequests = identity.maxBatchRequests
        return .send(Envelope(.hello(reply)))
    }

    /// A request's answer is ready; returns the envelope to send (or none if closed).
    public mutating func requestFinished(_ answer: Envelope) -> Action {
        guard state != .closed else { return .none }
        inFlight = max(0, inFlight - 1)
        return .send(answer)
    }

    /// The worker starts draining: tell the coordinator to stop sending work.
    public mutating func drain(reason: String) -> Action {
        switch state {
        case .ready, .awaitingHelloAck:
            state = .draining
            var drain = WireDrain()
            drain.reason = reason
            return .send(Envelope(.drain(drain)))
        case .awaitingHello:
            state = .closed
            return .sendAndClose(.goodbye(.drained, reason), reason: reason)
        case .draining, .closed:
            return .none
        }
    }

    /// Draining and nothing left in flight: say Goodbye and close.
    public mutating func finishDrainIfIdle() -> Action {
        guard state == .draining, inFlight == 0 else { return .none }
        state = .closed
        return .sendAndClose(.goodbye(.drained, "worker \(identity.nodeID) drained"), reason: "drained")
    }

    /// The connection failed underneath (bad frame, timeout): say Goodbye if we can.
    public mutating func failed(_ error: WireError) -> Action {
        guard state != .closed else { return .none }
        state = .closed
        let reason: WireGoodbye.Reason
        switch error.code {
        case .frameTooLarge: reason = .frameTooLarge
        case .timedOut: reason = .idleTimeout
        case .versionMismatch: reason = .versionMismatch
        default: reason = .protocolError
        }
        return .sendAndClose(.goodbye(reason, error.description), reason: error.description)
    }

    private mutating func protocolViolation(_ message: String) -> Action {
        state = .closed
        return .sendAndClose(.goodbye(.protocolError, message), reason: message)
    }
}
