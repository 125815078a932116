/// A worker as it introduced itself in its Hello.
public struct WorkerInfo: Sendable, Equatable {
    /// The worker's name (`--node-id`, default its host name).
    public var nodeID: String
    /// Requests it runs at once: the coordinator's credits for it.
    public var slots: UInt32
    /// The negotiated protocol version.
    public var protocolVersion: UInt32
    /// Versions of its loaded models (part of every prediction id).
    public var modelVersions: [WireModelVersion]
    /// Its build, for logs.
    public var softwareVersion: String
    /// Most requests it takes in one PredictBatch (at least 1).
    public var maxBatchRequests: UInt32

    /// A worker's introduction (the session builds it from Hello; scenario tests build their own).
    public init(nodeID: String, slots: UInt32, protocolVersion: UInt32, modelVersions: [WireModelVersion],
                softwareVersion: String, maxBatchRequests: UInt32 = 1) {
        self.nodeID = nodeID
        self.slots = slots
        self.protocolVersion = protocolVersion
        self.modelVersions = modelVersions
        self.softwareVersion = softwareVersion
        self.maxBatchRequests = max(1, maxBatchRequests)
    }
}

/// The coordinator's side of one session as a value: envelopes in, actions out, no I/O.
///
/// `idle` → (start: send Hello) → `awaitingHello` → (worker Hello: send HelloAck) →
/// `ready` → (Drain) → `draining` → (Goodbye / close) → `closed`.
public struct CoordinatorSessionStateMachine: Sendable {
    public enum State: Equatable, Sendable {
        case idle
        case awaitingHello
        case ready
        case draining
        case closed
    }

    public enum Action: Equatable, Sendable {
        /// Send HelloAck; the session with this worker is established.
        case established(WorkerInfo, ack: Envelope)
        case pong(WirePong)
        case result(WirePredictResult)
        case rejected(WirePredictRejected)
        /// The answers to one PredictBatch.
        case batchAnswer(WirePredictBatchAnswer)
        /// The worker stops taking new work; in-flight results still arrive.
        case drained(reason: String)
        /// Send this Goodbye and close; `error` says why.
        case sendAndClose(Envelope, error: WireError)
        /// The worker said Goodbye.
        case closed(WireError)
        case none
    }

    public private(set) var state: State = .idle
    private let nodeID: String
    private let heartbeatIntervalMilliseconds: UInt32
    private let maxFrameBytes: UInt32

    public init(nodeID: String, heartbeatIntervalMilliseconds: UInt32, maxFrameBytes: UInt32) {
        self.nodeID = nodeID
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.maxFrameBytes = maxFrameBytes
    }

    /// Begins the session; returns the Hello to send.
    public mutating func start() -> Envelope {
        state = .awaitingHello
        var hello = WireHello()
        hello.role = .coordinator
        hello.protocolVersion = ProtocolVersion.current
        hello.minProtocolVersion = ProtocolVersion.minimumSupported
        hello.nodeID = nodeID
        hello.maxFrameBytes = maxFrameBytes
        return Envelope(.hello(hello))
    }

    /// Feeds one received envelope.
    public mutating func received(_ envelope: Envelope) -> Action {
        switch (state, envelope.body) {
        case (.closed, _), (.idle, _):
            return .none
        case (.awaitingHello, .hello(let hello)):
            return receivedHello(hello)
        case (.ready, .pong(let pong)), (.draining, .pong(let pong)):
            return .pong(pong)
        case (.ready, .predictResult(let result)), (.draining, .predictResult(let result)):
            return .result(result)
        case (.ready, .predictRejected(let rejected)), (.draining, .predictRejected(let rejected)):
            return .rejected(rejected)
        case (.ready, .predictBatchAnswer(let answer)), (.draining, .predictBatchAnswer(let answer)):
            return .batchAnswer(answer)
        case (.ready, .drain(let drain)):
            state = .draining
            return .drained(reason: drain.reason)
        case (_, .goodbye(let goodbye)):
            state = .closed
            let code: WireErrorCode = goodbye.reason == .versionMismatch ? .versionMismatch : .closedByPeer
            return .closed(WireError(code, "worker said goodbye (\(goodbye.reason)): \(goodbye.message)"))
        default:
            return violation("unexpected \(envelope.bodyName) from worker while \(state)")
        }
    }

    private mutating func receivedHello(_ hello: WireHello) -> Action {
        guard hello.role == .worker else {
            return violation("Hello from a \(hello.role) node where a worker was expected")
        }
        guard hello.slots > 0 else {
            return violation("worker \(hello.nodeID) announced 0 slots")
        }
        guard let version = ProtocolVersion.negotiate(peerCurrent: hello.protocolVersion,
                                                      peerMinimum: hello.minProtocolVersion) else {
            state = .closed
            let error = WireError(.versionMismatch, "worker \(hello.nodeID) speaks protocol "
                + "\(hello.minProtocolVersion)–\(hello.protocolVersion); this coordinator "
                + "\(ProtocolVersion.minimumSupported)–\(ProtocolVersion.current)")
            return .sendAndClose(.goodbye(.versionMismatch, error.description), error: error)
        }
        state = .ready
        var ack = WireHelloAck()
        ack.protocolVersion = version
        ack.heartbeatIntervalMs = heartbeatIntervalMilliseconds
        let info = WorkerInfo(nodeID: hello.nodeID, slots: hello.slots, protocolVersion: version,
                              modelVersions: hello.modelVersions, softwareVersion: hello.softwareVersion,
                              maxBatchRequests: hello.maxBatchRequests)
        return .established(info, ack: Envelope(.helloAck(ack)))
    }

    private mutating func violation(_ message: String) -> Action {
        state = .closed
        return .sendAndClose(.goodbye(.protocolError, message), error: WireError(.protocolViolation, message))
    }
}
